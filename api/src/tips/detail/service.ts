import type { TipContent } from '@tinbao/shared';
import type { TipDetailResponse } from '@tinbao/shared/api/tips';
import { coarseArea, type TipFieldAccess, tipFieldAccess } from '@tinbao/shared/permissions/index';
import { notFound } from '../../platform/errors';
import { type Actor, tipPurged } from '../access';
import { auditedVisibleTip, openTipContent } from '../content';
import { listDeadlineExtensions } from '../deadlines/repository';
import { nowOf, type TipsDeps } from '../deps';
import { presentTipSummaries } from '../presenter';
import { allowedActionsOf } from '../workflow/conflicts';
import { duplicatesOf } from './repository';

/**
 * The decrypted content as this reader may see it: without tips.read_exact_location the pin
 * becomes its ~1 km cell, without tips.read_reporter_pseudonym the pseudonym stays behind.
 */
export function presentTipContent(
  tipId: string,
  content: TipContent,
  fields: Pick<TipFieldAccess, 'exactLocation' | 'reporterPseudonym'>,
): TipDetailResponse['content'] {
  const pin = content.location ?? null;
  return {
    description: content.description,
    ...(fields.exactLocation ? { location: pin } : { locationArea: pin ? coarseArea(pin) : null }),
    photos: content.photos.map((photo, index) => ({
      index,
      mimeType: photo.mimeType,
      width: photo.width,
      height: photo.height,
      url: `/api/v1/tips/${tipId}/photos/${index}`,
    })),
    followUpConsent: content.followUpConsent,
    ...(fields.reporterPseudonym ? { reporterPseudonym: content.reporterPseudonym } : {}),
  };
}

/** A tip decrypted for this user (audited first), with its deadline history and what they may do now. */
export async function getTipDetail(
  deps: Pick<TipsDeps, 'db' | 'orgKeys' | 'now'>,
  actor: Actor,
  tipId: string,
): Promise<TipDetailResponse> {
  const row = await auditedVisibleTip(deps, actor, tipId, 'tip.decrypted');
  // auditedVisibleTip refuses a purged tip already; this narrows the type.
  if (!row.envelope) throw tipPurged(row.purgedAt ?? new Date());
  const content = await openTipContent(deps.orgKeys, { ...row, envelope: row.envelope });
  const fields = tipFieldAccess(actor);
  const [[summary], extensions, duplicates] = await Promise.all([
    presentTipSummaries(deps.db, [row], nowOf(deps), fields),
    listDeadlineExtensions(deps.db, tipId, fields),
    duplicatesOf(deps.db, actor, tipId),
  ]);
  return {
    ok: true,
    tip: summary!,
    content: presentTipContent(tipId, content, fields),
    deadlineExtensions: extensions,
    duplicates,
    allowedActions: allowedActionsOf(actor, row, summary!.routes),
  };
}

export async function getTipPhoto(
  deps: Pick<TipsDeps, 'db' | 'orgKeys'>,
  actor: Actor,
  tipId: string,
  index: number,
): Promise<{ mimeType: string; data: Buffer }> {
  const row = await auditedVisibleTip(deps, actor, tipId, 'tip.photo_decrypted', { index });
  if (!row.envelope) throw tipPurged(row.purgedAt ?? new Date());
  const content = await openTipContent(deps.orgKeys, { ...row, envelope: row.envelope });
  const photo = content.photos[index];
  if (!photo) throw notFound('photo');
  return { mimeType: photo.mimeType, data: Buffer.from(photo.dataBase64, 'base64') };
}
