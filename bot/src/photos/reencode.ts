import { MAX_PHOTO_BYTES } from '@tinbao/shared';
import sharp from 'sharp';

export type PhotoProblem = 'too_large' | 'not_image' | 'download_failed';

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

/** Downloads a Telegram file by its path, refusing to read more than MAX_PHOTO_BYTES. */
export async function downloadTelegramFile(
  apiRoot: string,
  token: string,
  filePath: string,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(`${apiRoot}/file/bot${token}/${filePath}`, {
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new PhotoError('download_failed');
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
