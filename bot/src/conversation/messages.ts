import {
  MAX_DESCRIPTION_LENGTH,
  MAX_PHOTOS,
  type ObservedWhen,
  type TipCategory,
  type VenueType,
} from '@tinbao/shared';
import type { ReceiptStatus } from '@tinbao/shared/api/tips';
import type { Step } from './draft';

/**
 * Every resident-facing string of the bot, in one place: Vietnamese, short, polite, plain.
 * Button labels are short enough for a cheap phone's screen.
 */

export const CATEGORY_LABELS: Record<TipCategory, string> = {
  mua_ban: 'Mua bán ma túy',
  tang_tru_van_chuyen: 'Tàng trữ, vận chuyển',
  to_chuc_chua_chap: 'Tổ chức, chứa chấp sử dụng',
  su_dung: 'Sử dụng trái phép',
  tu_diem: 'Điểm, tụ điểm phức tạp',
  trong_cay: 'Trồng cây có chất ma túy',
  toi_pham_khac: 'Tội phạm khác',
};

export const VENUE_LABELS: Record<VenueType, string> = {
  nha_rieng: 'Nhà riêng',
  karaoke: 'Quán karaoke',
  nha_nghi_khach_san: 'Nhà nghỉ, khách sạn',
  bar_vu_truong: 'Quán bar, vũ trường',
  quan_ca_phe: 'Quán cà phê',
  truong_hoc: 'Trường học hoặc gần trường',
  noi_cong_cong: 'Nơi công cộng',
  khu_vuc_bien_gioi: 'Khu vực biên giới',
  khac: 'Nơi khác',
};

export const WHEN_LABELS: Record<ObservedWhen, string> = {
  dang_dien_ra: 'Đang diễn ra',
  hom_nay: 'Hôm nay',
  hom_qua: 'Hôm qua',
  trong_tuan: 'Trong tuần này',
  truoc_do: 'Trước đó',
};

export const STATUS_LABELS: Record<ReceiptStatus, string> = {
  received: 'đã tiếp nhận, đang chờ xem xét',
  in_progress: 'đang được xem xét',
  forwarded: 'đã chuyển đến công an có thẩm quyền',
  closed: 'đã được xem xét và khép lại',
};

export const BUTTONS = {
  startTip: 'Gửi tin báo',
  changeProvince: '« Chọn tỉnh khác',
  skipPhotos: 'Không có ảnh',
  photosDone: 'Xong',
  consentYes: 'Đồng ý',
  consentNo: 'Không',
  send: 'Gửi',
  edit: 'Sửa',
  cancel: 'Hủy',
  backToSummary: '« Quay lại',
} as const;

/** Which parts of the draft "Sửa" can go back to. */
export const EDIT_LABELS = {
  category: 'Loại hành vi',
  province: 'Địa điểm (tỉnh, xã)',
  venue: 'Nơi xảy ra',
  when: 'Thời gian',
  description: 'Mô tả',
  photos: 'Ảnh',
  consent: 'Liên hệ lại',
} as const;
export type EditTarget = keyof typeof EDIT_LABELS;

export const TEXT = {
  welcome: [
    'Xin chào! Đây là TinBao, kênh tiếp nhận tin báo về ma túy và tội phạm để chuyển đến công an xã, phường nơi xảy ra.',
    '',
    'TinBao không lưu tên, số điện thoại hay tài khoản của bạn. Tin báo được mã hóa ngay khi gửi, chỉ cán bộ có thẩm quyền đọc được.',
    '',
    'Bấm «Gửi tin báo» để bắt đầu. Gõ /huy để hủy bất cứ lúc nào, /trogiup để xem hướng dẫn.',
  ].join('\n'),
  help: [
    'Hướng dẫn gửi tin báo:',
    '1. Gõ /start rồi bấm «Gửi tin báo».',
    '2. Chọn loại hành vi, tỉnh và xã/phường, nơi xảy ra, thời gian.',
    '3. Mô tả điều bạn thấy, gửi ảnh nếu có (không bắt buộc).',
    '4. Xem lại và bấm «Gửi». Bạn sẽ nhận mã tin báo để tra cứu sau.',
    '',
    'Gõ /huy để hủy và xóa bản nháp. Gõ /trangthai <mã> để tra cứu tin đã gửi.',
    'Bạn không cần cho biết tên hay số điện thoại.',
  ].join('\n'),
  askCategory: 'Bước 1/8. Bạn muốn báo về việc gì?',
  askProvince:
    'Bước 2/8. Việc này xảy ra ở tỉnh, thành phố nào? Chọn bên dưới hoặc gõ tên (không cần dấu).\nBạn cũng có thể gửi vị trí (📎 → Vị trí).',
  provinceMatches: 'Bạn chọn tỉnh, thành phố nào?',
  provinceNotFound: 'Không tìm thấy tỉnh, thành phố này. Vui lòng gõ lại tên hoặc chọn bên dưới.',
  askCommune: (provinceName: string, example: string) =>
    `Bước 3/8. Xã, phường nào của ${provinceName}? Gõ một phần tên, không cần dấu (ví dụ: "${example}").`,
  communeMatches: 'Chọn xã, phường đúng:',
  communeManyMatches: (total: number) =>
    `Có ${total} kết quả, hãy gõ thêm chữ để thu hẹp, hoặc chọn bên dưới:`,
  communeHint: (example: string) =>
    `Vui lòng gõ một phần tên xã, phường (ví dụ: "${example}"), rồi chọn bằng nút.`,
  communeNotFound: (provinceName: string) =>
    `Không tìm thấy xã, phường nào của ${provinceName} có tên này. Vui lòng gõ lại, hoặc chọn tỉnh khác.`,
  locationReceived: 'Đã nhận vị trí (chỉ cán bộ xem được). Vui lòng chọn tỉnh và xã để chuyển đúng đơn vị.',
  askVenue: 'Bước 4/8. Việc này xảy ra ở đâu?',
  askWhen: 'Bước 5/8. Bạn thấy việc này khi nào?',
  askDescription: `Bước 6/8. Hãy mô tả điều bạn thấy: ai, làm gì, ở đâu cụ thể, có dấu hiệu gì. Tối đa ${MAX_DESCRIPTION_LENGTH} ký tự. Không cần ghi tên của bạn.`,
  descriptionTooLong: `Mô tả quá dài: tối đa ${MAX_DESCRIPTION_LENGTH} ký tự. Vui lòng rút gọn rồi gửi lại trong một tin nhắn.`,
  photoKeptForLater: (count: number) =>
    `Đã nhận ảnh ${count}/${MAX_PHOTOS}, ảnh sẽ được gửi kèm tin báo. Vui lòng mô tả bằng chữ điều bạn thấy.`,
  askPhotos: (count: number) =>
    count === 0
      ? `Bước 7/8. Bạn có ảnh không? Gửi tối đa ${MAX_PHOTOS} ảnh, hoặc bấm «Không có ảnh». Thông tin vị trí trong ảnh sẽ được xóa.`
      : `Bước 7/8. Đã có ${count}/${MAX_PHOTOS} ảnh. Gửi thêm ảnh hoặc bấm «Xong». Thông tin vị trí trong ảnh sẽ được xóa.`,
  photoReceived: (count: number) =>
    count >= MAX_PHOTOS
      ? `Đã nhận ảnh ${count}/${MAX_PHOTOS}. Đã đủ số ảnh, bấm «Xong» để tiếp tục.`
      : `Đã nhận ảnh ${count}/${MAX_PHOTOS}. Gửi thêm ảnh hoặc bấm «Xong».`,
  askConsent:
    'Bước 8/8. Cán bộ có thể cần hỏi thêm. Bạn có đồng ý nhận câu hỏi qua cuộc trò chuyện này không? Họ không thấy tên hay tài khoản của bạn.',
  summaryTitle: 'Vui lòng xem lại tin báo:',
  summaryFooter: 'Bấm «Gửi» để gửi, «Sửa» để sửa một mục, «Hủy» để hủy.',
  chooseEdit: 'Bạn muốn sửa mục nào?',
  sent: (receiptCode: string) =>
    [
      'Cảm ơn bạn. Tin báo đã được gửi và mã hóa.',
      `Mã tin báo của bạn: ${receiptCode}`,
      `Hãy ghi lại mã này. Để tra cứu sau, gõ /trangthai ${receiptCode}`,
    ].join('\n'),
  cancelled: 'Đã hủy. Bản nháp đã được xóa. Gõ /start khi bạn muốn gửi tin báo.',
  nothingToCancel: 'Không có tin báo nào đang soạn. Gõ /start để bắt đầu.',
  rateLimited:
    'Cảm ơn bạn đã gửi nhiều tin báo. Để tránh quá tải, mỗi người gửi tối đa 5 tin trong một giờ. Vui lòng thử lại sau ít phút, bản nháp vẫn được giữ.',
  tryAgainLater: 'Xin lỗi, hệ thống đang bận. Bản nháp của bạn vẫn được giữ, vui lòng thử lại sau ít phút.',
  invalidDraft: 'Tin báo còn thiếu thông tin. Vui lòng kiểm tra lại từng mục.',
  groupChat: 'Để giữ bí mật cho bạn, TinBao không nhận tin báo trong nhóm. Vui lòng nhắn riêng cho bot này.',
  statusUsage: 'Gõ /trangthai kèm mã tin báo, ví dụ: /trangthai TB-7K4P9-QRM2X',
  statusBadCode: 'Mã tin báo không đúng dạng. Mã có dạng TB-XXXXX-XXXXX.',
  statusComing: (receiptCode: string) =>
    `Tin báo ${receiptCode}: việc tra cứu trạng thái sẽ sớm có. Tin của bạn đã được lưu an toàn.`,
  status: (receiptCode: string, status: ReceiptStatus) => `Tin báo ${receiptCode}: ${STATUS_LABELS[status]}.`,
  statusBusy: 'Bạn tra cứu hơi nhiều. Vui lòng thử lại sau một phút.',
  statusTooMany:
    'Bạn đã tra cứu nhiều lần. Vui lòng thử lại sau khoảng 10 phút, tin của bạn vẫn được lưu an toàn.',
  statusUnavailable: 'Hiện chưa tra cứu được. Tin của bạn vẫn được lưu an toàn, vui lòng thử lại sau.',
  statusNotFound: (receiptCode: string) => `Không tìm thấy tin báo ${receiptCode}. Vui lòng kiểm tra lại mã.`,
  photoTooLarge: 'Ảnh này lớn hơn 10 MB. Vui lòng gửi ảnh nhỏ hơn.',
  photoNotImage: 'Tệp này không phải là ảnh. Vui lòng gửi ảnh (JPG, PNG).',
  photoLimit: `Bạn đã gửi đủ ${MAX_PHOTOS} ảnh. Bấm «Xong» để tiếp tục.`,
  photoLimitEarly: `Đã đủ ${MAX_PHOTOS} ảnh. Vui lòng mô tả bằng chữ điều bạn thấy.`,
  photoFailed: 'Không tải được ảnh này. Vui lòng gửi lại.',
  resume: 'Bạn đang soạn dở một tin báo. Mời bạn tiếp tục:',
  staleButton: 'Nút này không còn dùng được.',
} as const;

/** The photo step's hint names the one button shown: «Không có ảnh» before any photo, «Xong» after. */
export function photosHint(count: number): string {
  return count === 0
    ? `Vui lòng gửi ảnh (tối đa ${MAX_PHOTOS} ảnh) hoặc bấm «Không có ảnh».`
    : `Vui lòng gửi thêm ảnh (tối đa ${MAX_PHOTOS} ảnh) hoặc bấm «Xong».`;
}

/** The short hint for anything unexpected, by step: what the bot is waiting for right now. */
export const HINTS: Record<Step, string> = {
  idle: 'Gõ /start để gửi tin báo, hoặc /trogiup để xem hướng dẫn.',
  category: 'Vui lòng chọn loại hành vi bằng các nút ở tin nhắn trên.',
  province: 'Vui lòng gõ tên tỉnh, thành phố (không cần dấu) hoặc chọn bằng nút.',
  commune: 'Vui lòng gõ một phần tên xã, phường (không cần dấu), rồi chọn bằng nút.',
  venue: 'Vui lòng chọn nơi xảy ra bằng các nút ở tin nhắn trên.',
  when: 'Vui lòng chọn thời gian bằng các nút ở tin nhắn trên.',
  description: 'Vui lòng mô tả bằng chữ điều bạn thấy, trong một tin nhắn.',
  photos: photosHint(0),
  consent: 'Vui lòng bấm «Đồng ý» hoặc «Không».',
  summary: 'Vui lòng bấm «Gửi», «Sửa» hoặc «Hủy» ở tin nhắn trên.',
  editChoice: 'Vui lòng chọn mục cần sửa bằng các nút ở tin nhắn trên.',
};

export const TOO_LONG_HINT = 'Tin nhắn quá dài.';
