import type { TipDetailResponse } from '@tinbao/shared/api/tips';
import { notFound } from '../../platform/errors';
import type { Actor } from '../access';
import { auditedVisibleTip, openTipContent } from '../content';
import { listDeadlineExtensions } from '../deadlines/repository';
import { nowOf, type TipsDeps } from '../deps';
import { presentTipSummaries } from '../presenter';
import { allowedActionsOf } from '../workflow/conflicts';
import { duplicatesOf } from './repository';

/** A tip decrypted for this user (audited first), with its deadline history and what they may do now. */
export async function getTipDetail(
  deps: Pick<TipsDeps, 'db' | 'orgKeys' | 'now'>,
  actor: Actor,
  tipId: string,
): Promise<TipDetailResponse> {
  const row = await auditedVisibleTip(deps, actor, tipId, 'tip.decrypted');
  const content = await openTipContent(deps.orgKeys, row);
  const [[summary], extensions, duplicates] = await Promise.all([
    presentTipSummaries(deps.db, [row], nowOf(deps)),
    listDeadlineExtensions(deps.db, tipId),
    duplicatesOf(deps.db, actor, tipId),
  ]);
  return {
    ok: true,
    tip: summary!,
    content: {
      description: content.description,
      location: content.location ?? null,
      photos: content.photos.map((photo, index) => ({
        index,
        mimeType: photo.mimeType,
        width: photo.width,
        height: photo.height,
        url: `/api/v1/tips/${tipId}/photos/${index}`,
      })),
      followUpConsent: content.followUpConsent,
      reporterPseudonym: content.reporterPseudonym,
    },
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
  const content = await openTipContent(deps.orgKeys, row);
  const photo = content.photos[index];
  if (!photo) throw notFound('photo');
  return { mimeType: photo.mimeType, data: Buffer.from(photo.dataBase64, 'base64') };
}
