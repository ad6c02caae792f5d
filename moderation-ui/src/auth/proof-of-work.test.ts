import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { puzzleOf } from './proof-of-work';

const pow = {
  challenge: 'A'.repeat(51),
  salt: '0'.repeat(32),
  bits: 10,
  opslimit: 1,
  memlimit: 1048576,
};

describe('puzzleOf', () => {
  it('reads the puzzle of a proof_of_work_required answer', () => {
    const error = new ApiError(401, 'proof_of_work_required', 'solve it', {
      ok: false,
      error: 'proof_of_work_required',
      message: 'solve it',
      pow,
    });
    expect(puzzleOf(error)).toEqual(pow);
  });

  it('is null for any other error, or a puzzle off the contract', () => {
    expect(puzzleOf(new ApiError(401, 'invalid_credentials', 'no'))).toBeNull();
    expect(puzzleOf(new Error('network'))).toBeNull();
    const odd = new ApiError(401, 'proof_of_work_required', 'x', {
      ok: false,
      error: 'proof_of_work_required',
      message: 'x',
      pow: { ...pow, bits: 99 },
    });
    expect(puzzleOf(odd)).toBeNull();
  });
});
