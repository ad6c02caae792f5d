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
