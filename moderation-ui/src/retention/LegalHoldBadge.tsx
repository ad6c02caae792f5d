import { useCan } from '../auth/permissions';
import { useI18n } from '../i18n/i18n';
import { useApi } from '../layout/use-api';
import { retentionApi } from './retention-api';

/** On the tip page, for those who read retention (admins): a badge while the tip is under a legal hold. */
export function LegalHoldBadge({ tipId }: { tipId: string }) {
  const can = useCan();
  if (!can('retention.read')) return null;
  return <HoldBadge tipId={tipId} />;
}

function HoldBadge({ tipId }: { tipId: string }) {
  const { t, formatDate } = useI18n();
  const retention = useApi((signal) => retentionApi.ofTip(tipId, signal), [tipId]);
  const hold = retention.data?.legalHold;
  // A failed look-up shows nothing: the badge is a hint, the retention page is the record.
  if (!hold) return null;
  return (
    <span
      className="badge badge-legal-hold"
      title={t.retention.badgeTitle(hold.reason, formatDate(hold.placedAt))}
      data-testid="legal-hold-badge"
    >
      ⚖ {t.retention.badge}
    </span>
  );
}
