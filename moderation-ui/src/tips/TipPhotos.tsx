import { useEffect, useState } from 'react';
import { apiBlob } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Button, Dialog } from '../layout/ui';

interface PhotoInfo {
  index: number;
  url: string;
  width: number;
  height: number;
}

/**
 * Decrypted photos come as blobs (never cached: the API answers no-store) and are shown
 * through object URLs that are revoked when the tip is left.
 */
export function TipPhotos({ photos }: { photos: PhotoInfo[] }) {
  const { t } = useI18n();
  const [urls, setUrls] = useState<Record<number, string | 'error'>>({});
  const [zoomed, setZoomed] = useState<number | null>(null);
  const zoomedPhoto = zoomed === null ? undefined : photos[zoomed];
  const zoomedUrl = zoomedPhoto ? urls[zoomedPhoto.index] : undefined;

  useEffect(() => {
    const controller = new AbortController();
    const created: string[] = [];
    for (const photo of photos) {
      apiBlob(photo.url, { signal: controller.signal }).then(
        (blob) => {
          if (controller.signal.aborted) return;
          const url = URL.createObjectURL(blob);
          created.push(url);
          setUrls((current) => ({ ...current, [photo.index]: url }));
        },
        () => {
          if (!controller.signal.aborted) setUrls((current) => ({ ...current, [photo.index]: 'error' }));
        },
      );
    }
    return () => {
      controller.abort();
      for (const url of created) URL.revokeObjectURL(url);
    };
  }, [photos]);

  if (photos.length === 0) return <p className="muted">{t.tip.noPhotos}</p>;
  return (
    <>
      <Dialog
        open={zoomed !== null && typeof zoomedUrl === 'string' && zoomedUrl !== 'error'}
        title={zoomed === null ? '' : t.tip.photoAlt(zoomed + 1)}
        onClose={() => setZoomed(null)}
        testId="photo-dialog"
      >
        {zoomedUrl && zoomedUrl !== 'error' && zoomed !== null ? (
          <img className="photo-large" src={zoomedUrl} alt={t.tip.photoAlt(zoomed + 1)} />
        ) : null}
        <div className="row">
          <Button onClick={() => setZoomed(null)}>{t.close}</Button>
        </div>
      </Dialog>
      <ul className="photos" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="tip-photos">
        {photos.map((photo, position) => {
          const url = urls[photo.index];
          return (
            <li key={photo.index}>
              {url === 'error' ? (
                <p className="notice notice-error">{t.tip.photoError}</p>
              ) : url ? (
                // Enlarged in a dialog, not a new tab: the decrypted image stays in this page only.
                <button type="button" className="photo-button" onClick={() => setZoomed(position)}>
                  <img
                    src={url}
                    alt={t.tip.photoAlt(position + 1)}
                    width={photo.width}
                    height={photo.height}
                    data-testid="tip-photo"
                  />
                </button>
              ) : (
                <div className="photo-placeholder" role="img" aria-label={t.loading} />
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
