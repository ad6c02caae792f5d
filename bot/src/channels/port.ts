import type { Deliver } from '../conversation/engine';
import type { ChannelCapabilities, ResidentInput } from '../conversation/types';
import type { Resident } from '../submission/submit';

/** One thing a resident did in a private chat, parsed by the channel's adapter. */
export interface InboundEvent {
  resident: Resident;
  input: ResidentInput;
}

/** Called for each event with the means to answer it; resolves once the event is handled. */
export type EventHandler = (event: InboundEvent, deliver: Deliver) => Promise<void>;

/**
 * A messenger behind one interface (cal.com's app store is the model): it receives and
 * verifies updates, parses them into the core's inputs, renders replies by its
 * capabilities and downloads photos. It holds no flow logic.
 */
export interface ChannelAdapter {
  readonly caps: ChannelCapabilities;
  /** The pseudonym scope of its ids: ids of two platforms never share a keyed hash. */
  readonly scope: string;
  /** How updates arrive once started (`server`: residents' browsers post to our own pages). */
  readonly mode: () => 'polling' | 'webhook' | 'server' | 'idle';
  start(onEvent: EventHandler): Promise<void>;
  stop(): Promise<void>;
  /** Sends a fixed text to an address of this channel (a unit's group today). */
  sendText(address: string, text: string): Promise<void>;
}

/** Splits a text into parts of at most `max` characters, at line breaks or spaces where it can. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = /[\uD800-\uDBFF]/.test(rest[max - 1] ?? '') ? max - 1 : max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}
