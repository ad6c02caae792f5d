import { ensureSecretFile, keysDirOf, orgKeyPaths, readPublicKey } from '@tinbao/shared';
import { getSodium } from '@tinbao/shared/crypto/sodium';
import { type BotProcessConfig, botKeysDirOf } from './config';

export interface BotSecrets {
  /** The organisation's PUBLIC key: the bot can seal tips but never open them. */
  orgPublicKey: Uint8Array;
  draftKey: Uint8Array;
  pepper: Uint8Array;
  /** X25519 key pair that seals the chat id in reply tokens; only the bot can open them. */
  relayPublicKey: Uint8Array;
  relayPrivateKey: Uint8Array;
}

/**
 * The bot's keys: from the environment when given, otherwise secret files (0600) under
 * DATA_DIR/bot-keys, created on first start. The org public key comes from the keys folder.
 */
export async function loadBotSecrets(
  config: Pick<
    BotProcessConfig,
    | 'DATA_DIR'
    | 'TINBAO_KEYS_DIR'
    | 'TINBAO_GATEWAY_KEYS_DIR'
    | 'TINBAO_ORG_PUBLIC_KEY'
    | 'TINBAO_BOT_DRAFT_KEY'
    | 'TINBAO_BOT_PEPPER'
    | 'TINBAO_BOT_RELAY_KEY'
  >,
): Promise<BotSecrets> {
  const dir = botKeysDirOf(config);
  const orgPublicKey =
    config.TINBAO_ORG_PUBLIC_KEY ?? (await readPublicKey(orgKeyPaths(keysDirOf(config)).publicKeyFile));
  const draftKey = config.TINBAO_BOT_DRAFT_KEY ?? (await ensureSecretFile(`${dir}/draft.key`, 'draft key'));
  const pepper = config.TINBAO_BOT_PEPPER ?? (await ensureSecretFile(`${dir}/pepper.key`, 'pepper'));
  const relayPrivateKey =
    config.TINBAO_BOT_RELAY_KEY ?? (await ensureSecretFile(`${dir}/relay.key`, 'relay private key'));
  const sodium = await getSodium();
  return {
    orgPublicKey,
    draftKey,
    pepper,
    relayPrivateKey,
    relayPublicKey: sodium.crypto_scalarmult_base(relayPrivateKey),
  };
}
