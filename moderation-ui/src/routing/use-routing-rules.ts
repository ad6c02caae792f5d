import type { RoutingRule } from '@tinbao/shared/api/units';
import { useI18n } from '../i18n/i18n';
import { useAction } from '../layout/use-action';
import { useApi } from '../layout/use-api';
import { type RoutingRuleInput, routingApi } from './routing-api';

/** The routing rules and the admin's changes to them; each change reloads the list. */
export function useRoutingRules() {
  const { t } = useI18n();
  const list = useApi((signal) => routingApi.list(signal), []);
  const action = useAction(t.admin.updated, list.reload);
  return {
    list,
    action,
    create: (request: RoutingRuleInput) => action.run(() => routingApi.create(request)),
    setEnabled: (rule: RoutingRule, enabled: boolean) =>
      action.run(() => routingApi.update(rule.id, { enabled })),
    remove: (rule: RoutingRule) => action.run(() => routingApi.remove(rule.id)),
  };
}

export type RoutingRulesAdmin = ReturnType<typeof useRoutingRules>;
