import { MAX_PHOTO_BYTES } from '@tinbao/shared';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hasExifOrGps, jpegWithGps } from '../testing/photos';
import { PhotoError, reencodePhoto } from './reencode';

describe('photo re-encoding', () => {
  it('drops EXIF and GPS and keeps the picture', async () => {
    const original = await jpegWithGps(640, 480);
    expect(await hasExifOrGps(original)).toEqual({ exif: true, gps: true });
    const photo = await reencodePhoto(original);
    expect(await hasExifOrGps(photo.jpeg)).toEqual({ exif: false, gps: false });
    expect(Buffer.from(photo.jpeg).includes(Buffer.from('TestPhone'))).toBe(false);
    expect({ width: photo.width, height: photo.height }).toEqual({ width: 640, height: 480 });
    expect((await sharp(photo.jpeg).metadata()).format).toBe('jpeg');
  });

  it('turns PNG into JPEG and shrinks large pictures to 2048 px', async () => {
    const png = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#123' } })
      .png()
      .toBuffer();
    const photo = await reencodePhoto(png);
    expect({ width: photo.width, height: photo.height }).toEqual({ width: 2048, height: 683 });
  });

  it('rejects what is not an image, and files over 10 MB', async () => {
    await expect(reencodePhoto(Buffer.from('%PDF-1.4 not a picture'))).rejects.toEqual(
      new PhotoError('not_image'),
    );
    const truncated = (await jpegWithGps()).subarray(0, 300);
    await expect(reencodePhoto(truncated)).rejects.toBeInstanceOf(PhotoError);
    await expect(reencodePhoto(new Uint8Array(MAX_PHOTO_BYTES + 1))).rejects.toEqual(
      new PhotoError('too_large'),
    );
  });
});
