import sodium from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodium;

/** libsodium loads WASM asynchronously; every crypto entry point awaits this once. */
export async function getSodium(): Promise<Sodium> {
  await sodium.ready;
  return sodium;
}
