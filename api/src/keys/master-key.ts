import { readSecretFile } from '@tinbao/shared';

/** The master key that unwraps the organisation key: from the environment, or a secret file. */
export async function resolveMasterKey(config: {
  TINBAO_MASTER_KEY?: Uint8Array | undefined;
  TINBAO_MASTER_KEY_FILE?: string | undefined;
}): Promise<Uint8Array> {
  if (config.TINBAO_MASTER_KEY) return config.TINBAO_MASTER_KEY;
  if (config.TINBAO_MASTER_KEY_FILE) return readSecretFile(config.TINBAO_MASTER_KEY_FILE, 'master key');
  throw new Error('TINBAO_MASTER_KEY or TINBAO_MASTER_KEY_FILE must be set');
}
