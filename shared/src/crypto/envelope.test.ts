import { describe, expect, it } from 'vitest';
import { sealVersion1Envelope } from '../testing/legacy-envelope';
import {
  EnvelopeError,
  envelopeVersion,
  generateKeyPair,
  MIN_PADDED_BYTES,
  openEnvelope,
  openJson,
  paddedLength,
  sealEnvelope,
  sealJson,
} from './envelope';

const text = (value: string) => new TextEncoder().encode(value);

describe('envelope', () => {
  it('round-trips for every recipient', async () => {
    const org = await generateKeyPair();
    const unit = await generateKeyPair();
    const envelope = await sealEnvelope(text('Có mua bán ở quán karaoke'), [org.publicKey, unit.publicKey]);
    expect(new TextDecoder().decode(await openEnvelope(envelope, org))).toBe('Có mua bán ở quán karaoke');
    expect(new TextDecoder().decode(await openEnvelope(envelope, unit))).toBe('Có mua bán ở quán karaoke');
    expect(await openJson(await sealJson({ a: [1, 'ư'] }, [org.publicKey]), org)).toEqual({ a: [1, 'ư'] });
  });

  it('fails to open when any single bit is flipped', async () => {
    const org = await generateKeyPair();
    const envelope = await sealEnvelope(text('marker-flip'), [org.publicKey]);
    for (let byte = 0; byte < envelope.length; byte++) {
      const bit = 1 << (byte % 8);
      const tampered = envelope.slice();
      tampered[byte] = (tampered[byte] ?? 0) ^ bit;
      await expect(openEnvelope(tampered, org), `byte ${byte}`).rejects.toBeInstanceOf(EnvelopeError);
    }
  });

  it('fails with a key that is not a recipient, and when truncated', async () => {
    const org = await generateKeyPair();
    const stranger = await generateKeyPair();
    const envelope = await sealEnvelope(text('secret'), [org.publicKey]);
    await expect(openEnvelope(envelope, stranger)).rejects.toMatchObject({ code: 'not_a_recipient' });
    // Same public key id, wrong private key: the sealed data key must not open.
    await expect(
      openEnvelope(envelope, { publicKey: org.publicKey, privateKey: stranger.privateKey }),
    ).rejects.toMatchObject({ code: 'tampered' });
    await expect(openEnvelope(envelope.subarray(0, 60), org)).rejects.toMatchObject({ code: 'malformed' });
  });

  it('seals the same content differently each time', async () => {
    const org = await generateKeyPair();
    const first = await sealEnvelope(text('same'), [org.publicKey]);
    const second = await sealEnvelope(text('same'), [org.publicKey]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
    expect(first.length).toBe(second.length);
  });

  it('pads to power-of-two buckets of at least 1 KiB: lengths inside one bucket seal to one size', async () => {
    const org = await generateKeyPair();
    expect([0, 1, 1023, 1024, 1500, 2047, 2048, 5000].map(paddedLength)).toEqual([
      1024, 1024, 1024, 2048, 2048, 2048, 4096, 8192,
    ]);
    const sizeOf = async (length: number) =>
      (await sealEnvelope(new Uint8Array(length), [org.publicKey])).length;
    expect(await sizeOf(10)).toBe(await sizeOf(1000));
    expect(await sizeOf(1100)).toBe(await sizeOf(2000));
    expect(await sizeOf(1100)).toBeGreaterThan(await sizeOf(1000));
    // Header (4 + recipient 88 + nonce 24) + the bucket + the 16-byte tag.
    expect(await sizeOf(10)).toBe(4 + 88 + 24 + MIN_PADDED_BYTES + 16);
    // Exactly a bucket's size needs its padding marker: the next bucket.
    expect(await sizeOf(1024)).toBe(await sizeOf(2047));
    const opened = await openEnvelope(
      await sealEnvelope(new Uint8Array(1024).fill(0x80), [org.publicKey]),
      org,
    );
    expect(opened).toEqual(new Uint8Array(1024).fill(0x80));
  });

  it('opens only with the context it was sealed with', async () => {
    const org = await generateKeyPair();
    const context = text('tip-a');
    const envelope = await sealEnvelope(text('bound'), [org.publicKey], { context });
    expect(new TextDecoder().decode(await openEnvelope(envelope, org, { context }))).toBe('bound');
    await expect(openEnvelope(envelope, org, { context: text('tip-b') })).rejects.toMatchObject({
      code: 'tampered',
    });
    await expect(openEnvelope(envelope, org)).rejects.toMatchObject({ code: 'tampered' });
    // An envelope sealed without a context does not open as one with a context either.
    const unbound = await sealEnvelope(text('unbound'), [org.publicKey]);
    await expect(openEnvelope(unbound, org, { context })).rejects.toMatchObject({ code: 'tampered' });
  });

  it('still opens version 1 envelopes, and refuses them where a context is required unless told to accept', async () => {
    const org = await generateKeyPair();
    const legacy = await sealVersion1Envelope(text('stored before version 2'), org.publicKey);
    expect(envelopeVersion(legacy)).toBe(1);
    expect(new TextDecoder().decode(await openEnvelope(legacy, org))).toBe('stored before version 2');
    const context = text('tip-a');
    await expect(openEnvelope(legacy, org, { context })).rejects.toMatchObject({ code: 'unbound' });
    expect(new TextDecoder().decode(await openEnvelope(legacy, org, { context, legacy: 'accept' }))).toBe(
      'stored before version 2',
    );
    const flipped = legacy.slice();
    flipped[legacy.length - 1] = (flipped[legacy.length - 1] ?? 0) ^ 1;
    await expect(openEnvelope(flipped, org)).rejects.toMatchObject({ code: 'tampered' });
    expect(envelopeVersion(await sealEnvelope(text('new'), [org.publicKey]))).toBe(2);
  });
});
