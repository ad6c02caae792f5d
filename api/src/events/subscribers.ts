import type { Logger, NotifyUnitJob } from '@tinbao/shared';
import type { Queue } from 'bullmq';
import { notifyRoutedUnits } from '../notifications/on-tip-routed';
import { createEvents, type Events } from './bus';

export interface SubscriberDeps {
  notifyQueue: Pick<Queue<NotifyUnitJob>, 'add'>;
  logger: Logger;
}

/** Who listens to which domain event: the one list (a new side effect is one more line here). */
export function domainEvents(deps: SubscriberDeps): Events {
  return createEvents({ 'tip.routed': [notifyRoutedUnits(deps.notifyQueue, deps.logger)] }, deps.logger);
}
