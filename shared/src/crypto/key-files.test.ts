import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEnvelope, sealEnvelope } from './envelope';
import { createOrgKeys, orgKeyPaths, readOrgKeyPair, readPublicKey } from './key-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tinbao-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('organisation key files', () => {
  it('creates a wrapped key pair (0600) that opens what the public key sealed', async () => {
    const master = new Uint8Array(randomBytes(32));
    const paths = orgKeyPaths(join(dir, 'keys'));
    const publicKey = await createOrgKeys(paths, master);
    expect((await stat(paths.wrappedPrivateKeyFile)).mode & 0o777).toBe(0o600);
    expect(await readPublicKey(paths.publicKeyFile)).toEqual(publicKey);
    const pair = await readOrgKeyPair(paths, master);
    const envelope = await sealEnvelope(new Uint8Array([1, 2, 3]), [publicKey]);
    expect(Array.from(await openEnvelope(envelope, pair))).toEqual([1, 2, 3]);
  });

  it('refuses a wrong master key and refuses to overwrite', async () => {
    const paths = orgKeyPaths(dir);
    await createOrgKeys(paths, new Uint8Array(32).fill(1));
    await expect(readOrgKeyPair(paths, new Uint8Array(32).fill(2))).rejects.toThrow(/master key/);
    await expect(createOrgKeys(paths, new Uint8Array(32).fill(1))).rejects.toThrow(/refusing/);
  });
});
