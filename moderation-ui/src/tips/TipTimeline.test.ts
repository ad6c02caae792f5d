import type { TimelineEvent } from '@tinbao/shared/api/tips';
import { describe, expect, it } from 'vitest';
import { groupViews } from './TipTimeline';

describe('the timeline', () => {
  it('folds consecutive views into one entry between status changes', () => {
    const event = (seq: number, action: string): TimelineEvent =>
      ({
        seq,
        action,
        actorType: 'user',
        actorId: null,
        actorName: seq % 2 ? 'Nguyễn A' : 'Trần B',
        occurredAt: new Date(seq * 1000).toISOString(),
        details: {},
      }) as unknown as TimelineEvent;
    const entries = groupViews([
      event(1, 'tip.received'),
      event(2, 'tip.decrypted'),
      event(3, 'tip.photo_decrypted'),
      event(4, 'tip.decrypted'),
      event(5, 'tip.start_review'),
      event(6, 'tip.notes_decrypted'),
    ]);
    expect(
      entries.map((entry) => (entry.kind === 'views' ? entry.events.length : entry.event.action)),
    ).toEqual(['tip.received', 3, 'tip.start_review', 1]);
  });
});
