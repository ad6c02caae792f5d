import {
  type ProofOfWork,
  ProofOfWorkRequiredSchema,
  type ProofOfWorkSolution,
} from '@tinbao/shared/api/auth';
import { ApiError } from '../api/client';
import type { PowWorkerMessage } from './proof-of-work.worker';

/** The puzzle of a 401 `proof_of_work_required` answer, or null for any other error. */
export function puzzleOf(error: unknown): ProofOfWork | null {
  if (!(error instanceof ApiError) || error.code !== 'proof_of_work_required') return null;
  const parsed = ProofOfWorkRequiredSchema.safeParse(error.body);
  return parsed.success ? parsed.data.pow : null;
}

/**
 * Solves a login puzzle in a Web Worker (the page stays responsive) and returns what the
 * login sends back. `signal` stops the worker (the user left the page or started over).
 */
export function solveProofOfWork(puzzle: ProofOfWork, signal?: AbortSignal): Promise<ProofOfWorkSolution> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./proof-of-work.worker.ts', import.meta.url), { type: 'module' });
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new DOMException('proof of work aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort);
    worker.onmessage = (event: MessageEvent<PowWorkerMessage>) => {
      const message = event.data;
      if ('progress' in message) return;
      finish();
      if ('nonce' in message) resolve({ challenge: puzzle.challenge, nonce: message.nonce });
      else reject(new Error(message.error));
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(event.message || 'proof of work worker failed'));
    };
    worker.postMessage(puzzle);
  });
}
