import { describe, expect, it } from 'vitest';
import { PNG_2X1 } from '../common/test-support';
import { EmulatorState, imageSize, LIMITS } from './state';

describe('EmulatorState bounds', () => {
  it('keeps at most the last 1000 messages and events of a chat', () => {
    const state = new EmulatorState();
    const chat = state.ensureChat({ id: 1, type: 'private', first_name: 'A' });
    for (let index = 0; index < LIMITS.messagesPerChat + 5; index += 1) {
      const messageId = state.nextMessageId(chat);
      state.storeMessage(chat, { message_id: messageId, date: 0, chat: chat.chat, text: 'x' }, true);
      state.recordEvent(chat, 'sendMessage', { message_id: messageId });
    }
    expect(chat.messages.size).toBe(LIMITS.messagesPerChat);
    expect(chat.messages.has(1)).toBe(false);
    expect(chat.messages.has(LIMITS.messagesPerChat + 5)).toBe(true);
    expect(chat.events).toHaveLength(LIMITS.eventsPerChat);
    expect(chat.events[0]?.seq).toBe(6);
  });

  it('forgets the oldest files beyond the total size', () => {
    const state = new EmulatorState();
    const chunk = Buffer.alloc(LIMITS.downloadableFileBytes);
    const files = Array.from({ length: 11 }, () =>
      state.storeFile(chunk, 'application/octet-stream', 'document'),
    );
    expect(state.fileBytes).toBeLessThanOrEqual(LIMITS.fileBytesTotal);
    expect(state.files.has(files[0]!.file_id)).toBe(false);
    expect(state.filesByPath.has(files[0]!.file_path)).toBe(false);
    expect(state.files.has(files[10]!.file_id)).toBe(true);
  });

  it('drops the oldest pending update beyond the queue bound and assigns increasing ids', () => {
    const state = new EmulatorState();
    const first = state.enqueueUpdate({ poll: {} });
    expect(state.enqueueUpdate({ update_id: 1, poll: {} })).toBe(first + 1);
    expect(state.enqueueUpdate({ update_id: 500, poll: {} })).toBe(500);
    for (let index = 0; index < LIMITS.pendingUpdates; index += 1) state.enqueueUpdate({ poll: {} });
    expect(state.pendingUpdates).toHaveLength(LIMITS.pendingUpdates);
    state.confirmUpdates(-2);
    expect(state.pendingUpdates).toHaveLength(2);
  });
});

describe('update ids after an emulator restart', () => {
  it('numbers queued updates from the offset a bot kept from an earlier run', () => {
    const state = new EmulatorState();
    state.enqueueUpdate({ poll: {} });
    state.catchUpTo(501);
    state.confirmUpdates(501);
    expect(state.pendingUpdates.map((update) => update.update_id)).toEqual([501]);
    expect(state.enqueueUpdate({ poll: {} })).toBe(502);
    state.catchUpTo(3);
    expect(state.lastUpdateId).toBe(502);
  });
});

describe('imageSize', () => {
  it('reads PNG, GIF and JPEG headers and refuses other bytes', () => {
    expect(imageSize(PNG_2X1)).toEqual({ width: 2, height: 1 });
    const gif = Buffer.from('GIF89a\x03\x00\x04\x00', 'latin1');
    expect(imageSize(gif)).toEqual({ width: 3, height: 4 });
    // SOI, an APP0 segment of length 4, then SOF0 with height 5 and width 7.
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x05, 0x00, 0x07,
      0x03,
    ]);
    expect(imageSize(jpeg)).toEqual({ width: 7, height: 5 });
    expect(imageSize(Buffer.from('not an image'))).toBeUndefined();
  });
});
