import { randomBytes } from 'node:crypto';
import { keyIdOf } from '../crypto/envelope';
import { getSodium } from '../crypto/sodium';

/**
 * A version 1 envelope, as sealEnvelope wrote them before version 2: one recipient, no padding,
 * the header alone as associated data (bound to no tip). For tests of what still opens.
 */
export async function sealVersion1Envelope(
  plaintext: Uint8Array,
  publicKey: Uint8Array,
): Promise<Uint8Array> {
  const sodium = await getSodium();
  const dataKey = new Uint8Array(randomBytes(32));
  const nonce = new Uint8Array(randomBytes(24));
  const header = new Uint8Array(4 + 88 + 24);
  header.set([0x54, 0x42, 1, 1], 0);
  header.set(keyIdOf(publicKey), 4);
  header.set(sodium.crypto_box_seal(dataKey, publicKey), 12);
  header.set(nonce, 92);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    header,
    null,
    nonce,
    dataKey,
  );
  return new Uint8Array([...header, ...ciphertext]);
}
