import type { TipSummary } from '@tinbao/shared/api/tips';
import { useApi } from '../layout/use-api';
import { tipsApi } from './tips-api';

/**
 * Likely originals of a tip marked as a duplicate: the newest 30 other tips of its commune
 * (of its province when the commune is unknown). Asked only while `wanted`; none when the
 * search fails, since the receipt code can still be typed.
 */
export function useDuplicateCandidates(tip: TipSummary, wanted: boolean): TipSummary[] {
  const candidates = useApi(
    async (signal) => {
      if (!wanted) return [];
      const page = await tipsApi.list(
        {
          ...(tip.communeCode ? { communeCode: tip.communeCode } : { provinceCode: tip.provinceCode }),
          sort: 'received',
          limit: 30,
        },
        signal,
      );
      return page.items.filter((item) => item.id !== tip.id);
    },
    [wanted, tip.communeCode, tip.provinceCode, tip.id],
  );
  return candidates.data ?? [];
}
