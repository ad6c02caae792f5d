import { z } from 'zod';
import { toNfc } from '../text/normalize';

/** What the resident saw. Stored in the clear: routing and statistics need it. */
export const TipCategorySchema = z.enum([
  'mua_ban',
  'tang_tru_van_chuyen',
  'to_chuc_chua_chap',
  'su_dung',
  'tu_diem',
  'trong_cay',
  'toi_pham_khac',
]);
export type TipCategory = z.infer<typeof TipCategorySchema>;

export const VenueTypeSchema = z.enum([
  'nha_rieng',
  'karaoke',
  'nha_nghi_khach_san',
  'bar_vu_truong',
  'quan_ca_phe',
  'truong_hoc',
  'noi_cong_cong',
  'khu_vuc_bien_gioi',
  'khac',
]);
export type VenueType = z.infer<typeof VenueTypeSchema>;

/** When it happened, coarse on purpose: "đang diễn ra" raises the priority. */
export const ObservedWhenSchema = z.enum(['dang_dien_ra', 'hom_nay', 'hom_qua', 'trong_tuan', 'truoc_do']);
export type ObservedWhen = z.infer<typeof ObservedWhenSchema>;

export const ChannelSchema = z.enum(['telegram', 'zalo', 'web']);
export type Channel = z.infer<typeof ChannelSchema>;

export const TipStatusSchema = z.enum([
  'new',
  'in_review',
  'validated',
  'rejected',
  'duplicate',
  'routed',
  'acknowledged',
  'outcome_reported',
  'closed',
]);
export type TipStatus = z.infer<typeof TipStatusSchema>;

export const ProvinceCodeSchema = z.string().regex(/^\d{2}$/, 'province code is two digits');
export const CommuneCodeSchema = z.string().regex(/^\d{5}$/, 'commune code is five digits');

export const RECEIPT_CODE_PATTERN = /^TB-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;
export const ReceiptCodeSchema = z
  .string()
  .regex(RECEIPT_CODE_PATTERN, 'receipt code looks like TB-XXXXX-XXXXX');

export const MAX_DESCRIPTION_LENGTH = 4000;
export const MAX_PHOTOS = 5;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export const DescriptionSchema = z
  .string()
  .transform(toNfc)
  .pipe(
    z
      .string()
      .trim()
      .min(1, 'description is empty')
      .max(MAX_DESCRIPTION_LENGTH, `description is longer than ${MAX_DESCRIPTION_LENGTH} characters`),
  );

/** A photo after re-encoding (no EXIF, no GPS), carried inside the sealed tip only. */
export const TipPhotoSchema = z.object({
  mimeType: z.enum(['image/jpeg']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  dataBase64: z
    .string()
    .min(1)
    .max(Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 4),
});
export type TipPhoto = z.infer<typeof TipPhotoSchema>;

export const GeoPointSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

/**
 * Everything the resident told us. Only ever exists in the bot's memory and, sealed, in
 * the envelope; the API opens it for an authorised user.
 */
export const TipContentSchema = z.object({
  category: TipCategorySchema,
  provinceCode: ProvinceCodeSchema,
  /** Absent when the resident did not remember the commune: the moderator finds it from the description. */
  communeCode: CommuneCodeSchema.optional(),
  venueType: VenueTypeSchema,
  observed: ObservedWhenSchema,
  description: DescriptionSchema,
  location: GeoPointSchema.optional(),
  photos: z.array(TipPhotoSchema).max(MAX_PHOTOS, `at most ${MAX_PHOTOS} photos`),
  followUpConsent: z.boolean(),
  /** Keyed hash of the platform user id: links tips of one reporter without identifying them. */
  reporterPseudonym: z.string().min(8).max(64),
});
export type TipContent = z.infer<typeof TipContentSchema>;

/** The few fields kept in the clear next to the envelope, for routing and sorting. */
export const TipClearFieldsSchema = z.object({
  id: z.uuid(),
  receiptCode: ReceiptCodeSchema,
  category: TipCategorySchema,
  provinceCode: ProvinceCodeSchema,
  /** Null: "không nhớ chính xác địa điểm", flagged for the moderator. */
  communeCode: CommuneCodeSchema.nullable(),
  venueType: VenueTypeSchema,
  observed: ObservedWhenSchema,
  channel: ChannelSchema,
  submittedAt: z.iso.datetime(),
});
export type TipClearFields = z.infer<typeof TipClearFieldsSchema>;

/** What the bot validates on "Gửi": the content plus the clear fields that must agree with it. */
export const TipSubmissionSchema = TipContentSchema.extend({
  id: z.uuid(),
  receiptCode: ReceiptCodeSchema,
  channel: ChannelSchema,
  submittedAt: z.iso.datetime(),
});
export type TipSubmission = z.infer<typeof TipSubmissionSchema>;

/** Splits a validated submission into what is sealed and what stays clear. */
export function splitSubmission(submission: TipSubmission): { clear: TipClearFields; content: TipContent } {
  const { id, receiptCode, channel, submittedAt, ...content } = submission;
  return {
    clear: {
      id,
      receiptCode,
      channel,
      submittedAt,
      category: content.category,
      provinceCode: content.provinceCode,
      communeCode: content.communeCode ?? null,
      venueType: content.venueType,
      observed: content.observed,
    },
    content,
  };
}
