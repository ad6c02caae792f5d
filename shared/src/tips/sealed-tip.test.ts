import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../crypto/envelope';
import { buildTipSubmission } from '../testing/tips';
import { createReceiptCode } from './receipt-code';
import { splitSubmission, TipContentSchema, type TipSubmission } from './schemas';
import { openSealedTip, sealTip } from './sealed-tip';

const photo = (bytes: number) => ({
  mimeType: 'image/jpeg' as const,
  width: 800,
  height: 600,
  dataBase64: randomBytes(bytes).toString('base64'),
});

async function sealedSize(org: Uint8Array, overrides: Partial<TipSubmission>): Promise<number> {
  const { clear, content } = splitSubmission(buildTipSubmission(overrides));
  return (await sealTip(content, clear, [org])).length;
}

describe('a sealed tip', () => {
  it('has the same size for two descriptions of different lengths in one bucket, and for two photos too', async () => {
    const org = await generateKeyPair();
    const short = await sealedSize(org.publicKey, { description: 'Bán ma túy ở quán karaoke.' });
    const longer = await sealedSize(org.publicKey, {
      description:
        'Có người bán ma túy ở quán karaoke đầu ngõ, thường vào buổi tối, đi xe máy đến rồi đi ngay.',
    });
    expect(longer).toBe(short);
    // A description that fills several kilobytes lands in a bigger bucket.
    const long = await sealedSize(org.publicKey, { description: 'Mua bán trước cổng trường. '.repeat(100) });
    expect(long).toBeGreaterThan(short);
    expect([2048, 4096, 8192].map((bucket) => bucket + 4 + 88 + 24 + 16)).toContain(long);

    // Photos of 450 and 550 kB (600 and 733 kB in the sealed JSON's base64) share the 1 MiB bucket.
    const smallerPhoto = await sealedSize(org.publicKey, { photos: [photo(450_000)] });
    const largerPhoto = await sealedSize(org.publicKey, { photos: [photo(550_000)] });
    expect(largerPhoto).toBe(smallerPhoto);
    expect(smallerPhoto).toBe(1024 * 1024 + 4 + 88 + 24 + 16);
  });

  it('opens as its own tip only: another tip id, receipt code, channel or time fails', async () => {
    const org = await generateKeyPair();
    const { clear, content } = splitSubmission(buildTipSubmission());
    const envelope = await sealTip(content, clear, [org.publicKey]);
    expect(TipContentSchema.parse(await openSealedTip(envelope, clear, org))).toEqual(content);
    // The database gives the id back as it is, the time as a Date: the same binding.
    expect(
      await openSealedTip(envelope, { ...clear, submittedAt: new Date(clear.submittedAt) }, org),
    ).toEqual(content);

    const swaps = [
      { ...clear, id: randomUUID() },
      { ...clear, receiptCode: createReceiptCode() },
      { ...clear, channel: 'web' as const },
      { ...clear, submittedAt: new Date(Date.parse(clear.submittedAt) - 1).toISOString() },
    ];
    for (const binding of swaps) {
      await expect(openSealedTip(envelope, binding, org)).rejects.toMatchObject({ code: 'tampered' });
    }
    // Two tips swapping their envelopes: neither opens as the other.
    const other = splitSubmission(buildTipSubmission());
    const otherEnvelope = await sealTip(other.content, other.clear, [org.publicKey]);
    await expect(openSealedTip(otherEnvelope, clear, org)).rejects.toMatchObject({ code: 'tampered' });
    await expect(openSealedTip(envelope, other.clear, org)).rejects.toMatchObject({ code: 'tampered' });
  });
});
