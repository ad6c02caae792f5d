import { z } from 'zod';
import { type KeyPair, openJson, sealJson } from '../crypto/envelope';
import { ChannelSchema, ReceiptCodeSchema, type TipClearFields, type TipContent } from './schemas';

/**
 * What a tip's envelope is bound to: the clear fields that name the tip and that no other
 * sealed field repeats (its id, receipt code, channel and submission time). They are the
 * envelope's associated data, so an envelope moved to another tip id or receipt code, or
 * stored with another channel or time, does not open.
 */
export const TipBindingSchema = z.object({
  id: z.uuid(),
  receiptCode: ReceiptCodeSchema,
  channel: ChannelSchema,
  submittedAt: z.union([z.iso.datetime(), z.date()]),
});
export type TipBinding = z.infer<typeof TipBindingSchema>;

const BINDING_LABEL = 'tinbao/tip/2';

/**
 * The associated data of a tip's envelope. Canonical: the id in lower case and the time as
 * JavaScript's ISO string (milliseconds, UTC), which is what the database gives back.
 */
export function tipContext(binding: TipBinding): Uint8Array {
  const { id, receiptCode, channel, submittedAt } = TipBindingSchema.parse(binding);
  const time = new Date(submittedAt).toISOString();
  // Every field is validated above and none may hold a NUL, so the joined bytes are unambiguous.
  return new TextEncoder().encode([BINDING_LABEL, id.toLowerCase(), receiptCode, channel, time].join('\0'));
}

/** Seals a tip's content to the recipients, bound to its id, receipt code, channel and time. */
export async function sealTip(
  content: TipContent,
  clear: Pick<TipClearFields, 'id' | 'receiptCode' | 'channel' | 'submittedAt'>,
  recipients: Uint8Array[],
): Promise<Uint8Array> {
  return sealJson(content, recipients, { context: tipContext(clear) });
}

/**
 * Opens a tip's envelope as the tip `binding` names; throws EnvelopeError when it was sealed
 * for another. `legacy: 'accept'` also opens version 1 envelopes (bound to nothing), for tips
 * stored before version 2; intake never accepts them. Returns the JSON: validate it with
 * TipContentSchema.
 */
export async function openSealedTip(
  envelope: Uint8Array,
  binding: TipBinding,
  keyPair: KeyPair,
  options: { legacy?: 'accept' | 'refuse' } = {},
): Promise<unknown> {
  return openJson(envelope, keyPair, { context: tipContext(binding), legacy: options.legacy ?? 'refuse' });
}
