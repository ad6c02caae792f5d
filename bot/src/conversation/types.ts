import type { Channel } from '@tinbao/shared';
import type { ReceiptQuestion, ReceiptStatus } from '@tinbao/shared/api/tips';
import type { PhotoProblem } from '../photos/reencode';
import type { DraftPhoto } from './draft';

/**
 * The conversation core's vocabulary. Adapters turn a platform's update into an `Input`
 * and render `Reply`s by their capabilities; the core never names grammY, Zalo or HTML.
 */

/** Where a photo comes from: the adapter knows how to fetch it (Telegram getFile, a Zalo URL, an upload). */
export interface PhotoSource {
  /** The size the platform declared, when it did (refused early when too large). */
  declaredBytes?: number;
  fetch(): Promise<Uint8Array>;
}

/** What a resident did, as every channel can say it. */
export type ResidentInput =
  | {
      kind: 'text';
      text: string;
      /** when the platform received it (ms since epoch) */
      sentAt?: number;
      /** The menu of the page the text was typed on (web forms): an older page's text is stale. */
      menu?: number;
    }
  /** A pressed button or a chosen radio: the menu it belonged to and the option's id. */
  | { kind: 'choice'; menu: number; option: string }
  /** A button whose data no longer parses (an older bot version, a forged callback). */
  | { kind: 'stale-choice' }
  | { kind: 'photo'; source: PhotoSource; caption?: string /** as for text */; menu?: number }
  | { kind: 'location'; latitude: number; longitude: number }
  /** A file that is not an image. */
  | { kind: 'document'; isImage: false }
  /**
   * Something the bot cannot read: a sticker, voice, video…; `protected` is Zalo's
   * `message.unsupported.received` (the platform withheld the content).
   */
  | {
      kind: 'unsupported';
      /** `empty`: a web form sent with nothing filled in or chosen. */
      what: 'sticker' | 'voice' | 'video' | 'contact' | 'protected' | 'empty' | 'other';
    };

/** Results of effects, fed back into the flow by the engine. */
export type EffectResult =
  | { kind: 'photo-stored'; photo: DraftPhoto; caption?: string }
  | { kind: 'photo-failed'; problem: PhotoProblem }
  | { kind: 'submitted'; receiptCode: string }
  | { kind: 'submit-refused'; reason: 'rate_limited' | 'invalid' }
  | { kind: 'status-result'; receiptCode: string; result: StatusResult }
  | { kind: 'status-limited' }
  | { kind: 'answer-sent' }
  /** The answer did not go: too many in the window, or the question is no longer open. */
  | { kind: 'answer-refused'; reason: 'rate_limited' | 'not_open' }
  /** Every reply of the turn reached the resident: a receipt waiting for delivery is done with. */
  | { kind: 'delivered' };

export type StatusResult =
  | {
      kind: 'found';
      status: ReceiptStatus;
      /** Given to the gateway only (bot token): binds an answer; the open questions to show. */
      tipId?: string;
      questions?: ReceiptQuestion[];
    }
  | { kind: 'not_found' }
  | { kind: 'busy' }
  | { kind: 'unavailable' }
  /** No API address configured (a bot run without the api): the resident is told it is coming. */
  | { kind: 'not_configured' };

export type FlowInput = ResidentInput | EffectResult;

/** Work the flow asks the engine to do; its result comes back as an `EffectResult`. */
export type Effect =
  | { kind: 'store-photo'; source: PhotoSource; caption?: string }
  | { kind: 'delete-photos'; ids: string[] }
  | { kind: 'submit' }
  | { kind: 'lookup-status'; receiptCode: string }
  /** Seal the answer in the draft's `answer` aside and hand it to the intake queue. */
  | { kind: 'submit-answer'; text: string };

export interface MenuOption {
  id: string;
  label: string;
}

/**
 * What the resident is shown. A menu is rendered as buttons (Telegram), a numbered text
 * list (Zalo) or radio buttons (web); `seq` names it, so an older menu's answer is known stale.
 */
export type Reply =
  | { kind: 'text'; text: string }
  | { kind: 'menu'; text: string; seq: number; options: MenuOption[]; columns?: number }
  /** The buttons of an earlier message are done with (Telegram removes them; others ignore it). */
  | { kind: 'retire-menu'; messageRef: string };

/** What a channel can show and take; the core words its prompts by it. */
export interface ChannelCapabilities {
  channel: Channel;
  /** Buttons under a message (Telegram): otherwise menus are numbered text or a form. */
  buttons: boolean;
  /** The longest text one message may carry; longer replies are split by the adapter. */
  maxTextLength: number;
  /** Whether the resident can share a location pin. */
  location: boolean;
  photos: boolean;
}
