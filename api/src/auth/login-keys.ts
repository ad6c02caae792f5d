import { createHmac } from 'node:crypto';
import { getSodium } from '@tinbao/shared';
import { resolveMasterKey } from '../keys/master-key';

const KDF_CONTEXT = 'tblogin1'; // crypto_kdf contexts are exactly 8 bytes
const SUBKEY = { clients: 1, accounts: 2, deviceCookie: 3, proofOfWork: 4 } as const;

/** Who is trying to log in, as the defences count them: an address, or a device seen before. */
export type LoginClient = { address: string } | { deviceId: string };

/**
 * The keys of the login defences, derived from the master key (env or a file outside the data
 * folder; never stored): a dump of the database or of Redis holds client addresses and
 * usernames only as HMACs under a key it does not contain, never as plain hashes one could
 * recompute over the 2^32 IPv4 addresses.
 */
export interface LoginKeys {
  /** HMAC-SHA256 (hex, 64) of an address or a device id: login_failures.client_key, Redis keys. */
  clientKey(client: LoginClient): string;
  /** HMAC-SHA256 (hex, 32) of a normalised username, known account or not. */
  accountKey(username: string): string;
  /** MAC key of the device cookie. */
  deviceCookieKey: Buffer;
  /** MAC key of proof-of-work challenges. */
  proofOfWorkKey: Buffer;
}

type MasterKeyConfig = Parameters<typeof resolveMasterKey>[0];

const cache = new WeakMap<object, Promise<LoginKeys>>();

export function loginKeysOf(source: MasterKeyConfig | Uint8Array): Promise<LoginKeys> {
  let keys = cache.get(source);
  if (!keys) {
    keys = (async () => {
      const master = source instanceof Uint8Array ? source : await resolveMasterKey(source);
      const sodium = await getSodium();
      const derive = (id: number) =>
        Buffer.from(sodium.crypto_kdf_derive_from_key(32, id, KDF_CONTEXT, master));
      const clients = derive(SUBKEY.clients);
      const accounts = derive(SUBKEY.accounts);
      return {
        clientKey: (client) =>
          createHmac('sha256', clients)
            .update('address' in client ? `address:${client.address}` : `device:${client.deviceId}`)
            .digest('hex'),
        accountKey: (username) =>
          createHmac('sha256', accounts).update(username.normalize('NFC')).digest('hex').slice(0, 32),
        deviceCookieKey: derive(SUBKEY.deviceCookie),
        proofOfWorkKey: derive(SUBKEY.proofOfWork),
      };
    })();
    cache.set(source, keys);
  }
  return keys;
}
