import type { Logger } from '@tinbao/shared';

/**
 * The domain events features emit, and their payloads (ids only: an event may be stored in
 * an outbox, so never tip content). One place lists them, as immich's `emit` does.
 */
export interface DomainEvents {
  /** Units newly routed to a tip, after the route committed: each is told a case arrived. */
  'tip.routed': { tipId: string; unitIds: string[] };
}

export type DomainEventName = keyof DomainEvents;
export type DomainEvent = { [K in DomainEventName]: { name: K; payload: DomainEvents[K] } }[DomainEventName];
export type EventHandler<K extends DomainEventName> = (payload: DomainEvents[K]) => Promise<void>;
export type EventHandlers = { [K in DomainEventName]?: EventHandler<K>[] };

/** The one way side effects leave a feature: services emit, subscribers act. */
export interface Events {
  /**
   * Delivers committed events to their subscribers. Emitted after the transaction commits;
   * the outbox will instead write them inside it and deliver from there, with the same names.
   */
  emit(...events: DomainEvent[]): Promise<void>;
}

export function createEvents(handlers: EventHandlers, logger: Logger): Events {
  return {
    async emit(...events) {
      for (const event of events) {
        for (const handler of (handlers[event.name] ?? []) as EventHandler<typeof event.name>[]) {
          try {
            await handler(event.payload);
          } catch (error) {
            // The change is committed whatever a subscriber does; it logs, never undoes.
            logger.error({ event: event.name, err: (error as Error).message }, 'event handler failed');
          }
        }
      }
    },
  };
}
