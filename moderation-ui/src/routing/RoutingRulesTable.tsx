import type { RoutingRule } from '@tinbao/shared/api/units';
import { useI18n } from '../i18n/i18n';
import type { Messages } from '../i18n/vi';
import { type Column, DataTable } from '../layout/DataTable';
import { Button } from '../layout/ui';
import type { RoutingRulesAdmin } from './use-routing-rules';

/** "Tỉnh 44 · Trồng cây có chất ma túy · Xã biên giới": what a rule matches, in words. */
export function describeRuleMatch(t: Messages, rule: RoutingRule): string {
  return (
    [
      rule.provinceCode ? `${t.queue.province} ${rule.provinceCode}` : null,
      rule.communeCode ? `${t.queue.commune} ${rule.communeCode}` : null,
      rule.category ? t.category[rule.category] : null,
      rule.venueType ? t.venue[rule.venueType] : null,
      rule.borderAreaOnly ? t.admin.ruleBorder : null,
    ]
      .filter(Boolean)
      .join(' · ') || t.admin.ruleAnyCommune
  );
}

/** The rules with what each matches and proposes, switched on and off or deleted in place. */
export function RoutingRulesTable({
  rules,
  actions,
  labelledBy,
}: {
  rules: readonly RoutingRule[];
  actions: Pick<RoutingRulesAdmin, 'setEnabled' | 'remove'>;
  labelledBy: string;
}) {
  const { t } = useI18n();
  const columns: Column<RoutingRule>[] = [
    { header: t.admin.ruleName, cell: (rule) => rule.name },
    { header: t.admin.ruleMatch, cell: (rule) => describeRuleMatch(t, rule) },
    { header: t.admin.ruleTarget, cell: (rule) => rule.unitName },
    {
      header: t.admin.enabledRule,
      cell: (rule) => (
        <label className="check">
          <input
            type="checkbox"
            checked={rule.enabled}
            onChange={(event) => void actions.setEnabled(rule, event.target.checked)}
          />
          <span className="visually-hidden">
            {t.admin.enabledRule}: {rule.name}
          </span>
        </label>
      ),
    },
    {
      header: t.tip.actions,
      cell: (rule) => (
        <Button className="btn-small" variant="danger" onClick={() => void actions.remove(rule)}>
          {t.admin.deleteRule}
          <span className="visually-hidden"> {rule.name}</span>
        </Button>
      ),
    },
  ];
  return (
    <DataTable
      labelledBy={labelledBy}
      rows={rules}
      columns={columns}
      rowKey={(rule) => rule.id}
      rowProps={() => ({ 'data-testid': 'rule-row' })}
      empty={t.none}
      testId="rules-table"
    />
  );
}
