import { useCallback, useState } from 'react';

export interface ActionState {
  /** What the last change that went through said ("Đã cập nhật.", a temporary password). */
  notice: string | null;
  /** Why the last change failed; the page shows it with its ErrorNotice. */
  error: unknown;
  /**
   * Runs a change: clears the last notice and error, then shows the change's message (or the
   * default) and calls `afterSuccess`, or keeps the error. True when it went through, so a
   * form can keep what was typed when the API refused it.
   */
  run<T>(work: () => Promise<T>, message?: (result: T) => string): Promise<boolean>;
  /** A change made and reported elsewhere (a dialog that shows its own error) went through. */
  succeeded(message?: string): void;
}

/** The feedback of the changes a page makes, with what follows a success (reload its list). */
export function useAction(defaultMessage: string, afterSuccess: () => void): ActionState {
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const succeeded = useCallback(
    (message?: string) => {
      setNotice(message ?? defaultMessage);
      afterSuccess();
    },
    [defaultMessage, afterSuccess],
  );
  const run = useCallback(
    async <T>(work: () => Promise<T>, message?: (result: T) => string): Promise<boolean> => {
      setError(undefined);
      setNotice(null);
      try {
        const result = await work();
        succeeded(message?.(result));
        return true;
      } catch (failure) {
        setError(failure);
        return false;
      }
    },
    [succeeded],
  );
  return { notice, error, run, succeeded };
}
