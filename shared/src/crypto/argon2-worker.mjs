// argon2id off the event loop: crypto_pwhash is synchronous WASM (65–100 ms at the interactive
// cost). Plain JS, so the worker needs no TypeScript loader under tsx, vitest or compiled code.
import sodium from 'libsodium-wrappers-sumo';

/**
 * One task per call: derive raw key bytes (pseudonym roots), hash or verify a password string.
 * libsodium is awaited here, not with a top-level await: a thread terminated (pool closed) while
 * its module was still evaluating asynchronously aborted the whole process in Node 20
 * ("Check failed: (location_) != nullptr" in SourceTextModule::ExecuteAsyncModule).
 */
export default async function argon2(task) {
  await sodium.ready;
  switch (task.op) {
    case 'derive':
      return sodium.crypto_pwhash(
        task.length,
        task.input,
        task.salt,
        task.opslimit,
        task.memlimit,
        sodium.crypto_pwhash_ALG_ARGON2ID13,
      );
    case 'hash':
      return sodium.crypto_pwhash_str(task.password, task.opslimit, task.memlimit);
    case 'verify':
      return sodium.crypto_pwhash_str_verify(task.hash, task.password);
    default:
      throw new Error(`unknown argon2 task ${task.op}`);
  }
}
