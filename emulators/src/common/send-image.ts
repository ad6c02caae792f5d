import type { Response } from 'express';

/** Raster images only render inline: an uploaded HTML or SVG file must not run on this origin. */
export function sendImage(response: Response, bytes: Buffer, contentType: string): void {
  const inline = /^image\/(jpeg|png|gif|webp)$/i.test(contentType);
  response.setHeader('content-type', inline ? contentType : 'application/octet-stream');
  if (!inline) response.setHeader('content-disposition', 'attachment');
  response.setHeader('content-length', String(bytes.length));
  response.setHeader('x-content-type-options', 'nosniff');
  response.end(bytes);
}

/** A stored image by the name in its path, or 404 `{ ok: false, error, message }` when there is none. */
export function sendStoredImage(
  response: Response,
  image: { bytes: Buffer; contentType: string } | undefined,
  notFound: { error: string; message: string },
): void {
  if (!image) {
    response.status(404).json({ ok: false, ...notFound });
    return;
  }
  sendImage(response, image.bytes, image.contentType);
}
