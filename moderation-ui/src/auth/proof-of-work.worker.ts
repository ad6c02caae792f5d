/**
 * Solves the login's proof of work off the page's thread: about 2^bits argon2id tries of
 * 1 MiB each (libsodium's crypto_pwhash, WebAssembly), a second or two. Loaded only when the
 * API asks for it, so libsodium never weighs on the first load.
 */
import { type ProofOfWorkPuzzle, solveProofOfWork } from '@tinbao/shared/crypto/proof-of-work';
import { getSodium } from '@tinbao/shared/crypto/sodium';

export type PowWorkerMessage = { nonce: number } | { progress: number } | { error: string };

// The DOM lib types `self` as a Window; in a dedicated worker it is the worker's scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ProofOfWorkPuzzle>) => void) | null;
  postMessage(message: PowWorkerMessage): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
};

// libsodium's loader aborts outside our promise chain (WebAssembly refused, out of memory):
// say so instead of leaving the page waiting.
scope.addEventListener('unhandledrejection', (event) => {
  scope.postMessage({ error: String(event.reason) });
});

scope.onmessage = async (event) => {
  try {
    const sodium = await getSodium();
    const nonce = await solveProofOfWork(
      event.data,
      (input, salt, opslimit, memlimit) =>
        sodium.crypto_pwhash(32, input, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13),
      { onProgress: (tries) => scope.postMessage({ progress: tries }) },
    );
    scope.postMessage({ nonce });
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
