import sharp from 'sharp';

/** A JPEG that carries EXIF with a GPS position (Đakrông) and a camera make, as phones write it. */
export async function jpegWithGps(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#8a5' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'GPS-CAM' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '16/1 36/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '106/1 54/1 0/1',
      },
    })
    .toBuffer();
}

/** Whether the bytes carry EXIF, and a GPS IFD pointer (tag 0x8825, either byte order) in it. */
export async function hasExifOrGps(bytes: Uint8Array): Promise<{ exif: boolean; gps: boolean }> {
  const exif = (await sharp(bytes).metadata()).exif;
  const gps = exif
    ? exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]))
    : false;
  return { exif: exif !== undefined, gps };
}
