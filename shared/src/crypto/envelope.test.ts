import { describe, expect, it } from 'vitest';
import { EnvelopeError, generateKeyPair, openEnvelope, openJson, sealEnvelope, sealJson } from './envelope';

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
});
