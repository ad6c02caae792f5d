import { useApi } from '../layout/use-api';
import { tipsApi } from './tips-api';

/**
 * What the tip page loads: the decrypted detail, its notes, and the timeline once the detail
 * came (opening the tip writes the decryption event the timeline should show).
 */
export function useTipDetail(id: string) {
  const detail = useApi((signal) => tipsApi.detail(id, signal), [id]);
  const loadedVersion = detail.data?.tip.version;
  const timeline = useApi(
    (signal) => (loadedVersion === undefined ? Promise.resolve(undefined) : tipsApi.timeline(id, signal)),
    [id, loadedVersion],
  );
  const notes = useApi((signal) => tipsApi.notes(id, signal), [id]);
  // 403 for an officer when the admin did not allow officers to ask: the card is then left out.
  const questions = useApi((signal) => tipsApi.questions(id, signal), [id]);
  return { detail, timeline, notes, questions };
}
