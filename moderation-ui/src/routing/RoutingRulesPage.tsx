import { useI18n } from '../i18n/i18n';
import { ActionFeedback } from '../layout/ActionFeedback';
import { AsyncCard } from '../layout/async';
import { PageTitle } from '../layout/ui';
import { CreateRuleForm } from './CreateRuleForm';
import { RoutingRulesTable } from './RoutingRulesTable';
import { useRoutingRules } from './use-routing-rules';

/** Routing rules: which units are proposed for which tips, on top of the commune's police. */
export function RoutingRulesPage() {
  const { t } = useI18n();
  const rules = useRoutingRules();
  return (
    <>
      <PageTitle>{t.admin.rulesTitle}</PageTitle>
      <p className="muted">{t.admin.ruleDefault}</p>
      <ActionFeedback action={rules.action} context="rule" />
      <AsyncCard state={rules.list} title={t.admin.rulesTitle} titleId="rules-list">
        {(data) => <RoutingRulesTable rules={data.rules} actions={rules} labelledBy="rules-list" />}
      </AsyncCard>
      <CreateRuleForm onCreate={rules.create} />
    </>
  );
}
