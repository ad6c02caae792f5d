// argon2id off the main thread: crypto_pwhash is synchronous WASM (~70-150 ms), and the api
// process also serves requests and runs BullMQ workers. Plain JS so no TypeScript loader is needed.
import { parentPort } from 'node:worker_threads';
import sodium from 'libsodium-wrappers-sumo';

await sodium.ready;
parentPort.on('message', (request) => {
  try {
    const result =
      request.op === 'hash'
        ? sodium.crypto_pwhash_str(request.password, request.opslimit, request.memlimit)
        : sodium.crypto_pwhash_str_verify(request.hash, request.password);
    parentPort.postMessage({ id: request.id, result });
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
