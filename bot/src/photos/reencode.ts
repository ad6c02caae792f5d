import { MAX_PHOTO_BYTES } from '@tinbao/shared';
import sharp from 'sharp';

export type PhotoProblem = 'too_large' | 'not_image' | 'download_failed' | 'expired';

export class PhotoError extends Error {
  constructor(readonly problem: PhotoProblem) {
    super(`photo rejected: ${problem}`);
    this.name = 'PhotoError';
  }
}

export interface ReencodedPhoto {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

/**
 * Decodes any image sharp understands and writes a fresh JPEG: rotated upright, at most
 * 2048 px, and without EXIF/GPS/XMP/ICC (sharp drops metadata unless asked to keep it).
 */
export async function reencodePhoto(bytes: Uint8Array): Promise<ReencodedPhoto> {
  if (bytes.length > MAX_PHOTO_BYTES) throw new PhotoError('too_large');
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: 100_000_000 })
      .rotate()
      .resize({ width: 2048, height: 2048, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: new Uint8Array(data), width: info.width, height: info.height };
  } catch {
    throw new PhotoError('not_image');
  }
}

/**
 * Downloads a photo from the platform (a Telegram file path, a Zalo image URL), refusing to
 * read more than MAX_PHOTO_BYTES. A link the platform no longer serves (403/404/410: Zalo's
 * image URLs expire) is `expired`, so the resident is asked to send the photo again.
 */
export async function downloadPhoto(url: string, timeoutMs = 30_000): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    throw new PhotoError('download_failed');
  }
  if ([403, 404, 410].includes(response.status)) {
    await response.body?.cancel();
    throw new PhotoError('expired');
  }
  if (!response.ok || !response.body) throw new PhotoError('download_failed');
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_PHOTO_BYTES) {
    await response.body.cancel();
    throw new PhotoError('too_large');
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.length;
    if (total > MAX_PHOTO_BYTES) throw new PhotoError('too_large');
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
