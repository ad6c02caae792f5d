import {
  MAX_DESCRIPTION_LENGTH,
  MAX_PHOTOS,
  type ObservedWhen,
  type TipCategory,
  type VenueType,
} from '@tinbao/shared';
import type { ReceiptStatus } from '@tinbao/shared/api/tips';
import { MAX_ANSWER_LENGTH } from '@tinbao/shared/questions/index';
import type { Step } from './draft';
import type { ChannelCapabilities } from './types';

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

/** A tip without a commune must say enough of the place for the moderator to find it. */
export const PLACE_DESCRIPTION_MIN = 30;

export const BUTTONS = {
  startTip: 'Gửi tin báo',
  back: '« Quay lại',
  cancelTip: 'Hủy tin báo',
  keepEditing: 'Tiếp tục soạn',
  yesThisPlace: 'Đúng',
  noTypePlace: 'Không, tôi sẽ gõ tên',
  useAsDescription: 'Dùng làm mô tả',
  sendAgain: 'Không, tôi sẽ gửi lại',
  addToDescription: 'Thêm vào mô tả',
  doNotAdd: 'Không thêm',
  changeProvince: '« Chọn tỉnh khác',
  communeUnknown: 'Không nhớ chính xác địa điểm',
  skipPhotos: 'Không có ảnh',
  photosDone: 'Xong',
  consentYes: 'Đồng ý',
  consentNo: 'Không',
  send: 'Gửi',
  edit: 'Sửa',
  cancel: 'Hủy',
  backToSummary: '« Quay lại',
  answerQuestion: 'Trả lời câu hỏi',
  answerQuestionNumber: (number: number) => `Trả lời câu hỏi ${number}`,
  answerLater: 'Để sau',
  cancelAnswer: 'Không trả lời nữa',
} as const;

/** What each messenger itself can see, said plainly in the welcome (DESIGN.md, security model). */
export function privacyNote(caps: Pick<ChannelCapabilities, 'channel'>, webFormUrl?: string): string {
  const web = webFormUrl
    ? `Với tin nhạy cảm nhất, hãy dùng trang web không qua ứng dụng nào: ${webFormUrl}`
    : 'Với tin nhạy cảm nhất, hãy dùng trang web tin báo của TinBao, không qua ứng dụng nào.';
  switch (caps.channel) {
    case 'zalo':
      return `Zalo biết tài khoản của bạn (gắn với số điện thoại) đã nhắn cho bot này và giữ cuộc trò chuyện; TinBao không lưu tài khoản hay số điện thoại của bạn. ${web}`;
    case 'telegram':
      return `Telegram biết tài khoản của bạn đã nhắn cho bot này và giữ cuộc trò chuyện; TinBao không lưu tài khoản hay số điện thoại của bạn. ${web}`;
    case 'web':
      return 'Trang này không dùng JavaScript, không ghi địa chỉ IP của bạn và không cần đăng nhập. Không ứng dụng nào biết bạn đã gửi tin.';
  }
}

/** How to answer a menu on this channel: buttons, or a number/the option's words. */
export function chooseHow(caps: Pick<ChannelCapabilities, 'buttons'>): string {
  return caps.buttons ? 'bằng các nút bên dưới' : 'bằng cách trả lời số thứ tự (1, 2, 3…) hoặc gõ tên mục';
}

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
  welcome: (caps: Pick<ChannelCapabilities, 'channel' | 'buttons'>, webFormUrl?: string) =>
    [
      'Xin chào! Đây là TinBao, kênh tiếp nhận tin báo về ma túy và tội phạm để chuyển đến công an xã, phường nơi xảy ra.',
      '',
      'Tin báo được mã hóa ngay khi gửi, chỉ cán bộ có thẩm quyền đọc được. Bạn không cần cho biết tên hay số điện thoại.',
      privacyNote(caps, webFormUrl),
      '',
      caps.buttons
        ? 'Bấm «Gửi tin báo» để bắt đầu. Gõ /huy để hủy bất cứ lúc nào, /trogiup để xem hướng dẫn.'
        : 'Trả lời 1 (hoặc gõ "gui tin bao") để bắt đầu. Gõ /huy để hủy bất cứ lúc nào, /trogiup để xem hướng dẫn.',
    ].join('\n'),
  help: [
    'Hướng dẫn gửi tin báo:',
    '1. Gõ /start rồi chọn «Gửi tin báo».',
    '2. Chọn loại hành vi, tỉnh và xã/phường, nơi xảy ra, thời gian.',
    '3. Mô tả điều bạn thấy, gửi ảnh nếu có (không bắt buộc).',
    '4. Xem lại và chọn «Gửi». Bạn sẽ nhận mã tin báo để tra cứu sau.',
    '',
    'Gõ /huy để hủy và xóa bản nháp. Gõ /trangthai <mã> để tra cứu tin đã gửi.',
    'Bạn không cần cho biết tên hay số điện thoại.',
  ].join('\n'),
  askCategory: 'Bước 1/8. Bạn muốn báo về việc gì?',
  askProvince: (caps: Pick<ChannelCapabilities, 'location'>) =>
    `Bước 2/8. Việc này xảy ra ở tỉnh, thành phố nào? Gõ tên (không cần dấu, tên cũ trước 2025 cũng được) hoặc chọn bên dưới.${caps.location ? '\nBạn cũng có thể gửi vị trí (📎 → Vị trí).' : ''}`,
  provinceMatches: 'Bạn chọn tỉnh, thành phố nào?',
  provinceNotFound: 'Không tìm thấy tỉnh, thành phố này. Vui lòng gõ lại tên hoặc chọn bên dưới.',
  askCommune: (provinceName: string, example: string) =>
    `Bước 3/8. Xã, phường nào của ${provinceName}? Gõ một phần tên, không cần dấu (ví dụ: "${example}").`,
  communeMatches: 'Chọn xã, phường đúng:',
  communeManyMatches: (total: number) =>
    `Có ${total} kết quả, hãy gõ thêm chữ để thu hẹp, hoặc chọn bên dưới:`,
  communeHint: (example: string) =>
    `Vui lòng gõ một phần tên xã, phường (ví dụ: "${example}"), rồi chọn trong danh sách.`,
  communeNotFound: (provinceName: string) =>
    `Không tìm thấy xã, phường nào của ${provinceName} có tên này. Vui lòng gõ lại, hoặc chọn tỉnh khác.`,
  locationReceived: 'Đã nhận vị trí (chỉ cán bộ xem được). Vui lòng chọn tỉnh và xã để chuyển đúng đơn vị.',
  located: (communeName: string, provinceName: string) =>
    `Vị trí của bạn thuộc ${communeName}, ${provinceName} — đúng không?`,
  locationOutside:
    'Vị trí này nằm ngoài Việt Nam. TinBao chỉ nhận tin báo về việc xảy ra ở Việt Nam. Vui lòng gửi lại vị trí, hoặc gõ tên tỉnh, xã.',
  locationNotPlaced:
    'Đã nhận vị trí (chỉ cán bộ xem được), nhưng chưa xác định được xã, phường. Vui lòng gõ tên tỉnh, xã.',
  draftGone: 'Bản nháp này đã hết hạn hoặc đã được gửi, hủy. Bạn có thể bắt đầu lại.',
  communeUnknownInSummary: 'không nhớ chính xác xã, phường',
  communeUnknownNoted:
    'Được, tin báo sẽ gửi theo tỉnh, cán bộ sẽ xác định xã, phường. Ở bước mô tả, hãy tả rõ nơi đó giúp cán bộ tìm ra.',
  describePlace: `Vì bạn không nhớ chính xác xã, phường, hãy tả rõ nơi đó: tên đường, thôn, khu phố, gần chợ, trường hay cơ quan nào, dấu hiệu nhận biết (ít nhất ${PLACE_DESCRIPTION_MIN} ký tự).`,
  askVenue: 'Bước 4/8. Việc này xảy ra ở đâu?',
  askWhen: 'Bước 5/8. Bạn thấy việc này khi nào?',
  askDescription: `Bước 6/8. Hãy mô tả điều bạn thấy: ai, làm gì, ở đâu cụ thể, có dấu hiệu gì. Tối đa ${MAX_DESCRIPTION_LENGTH} ký tự. Không cần ghi tên của bạn.`,
  descriptionTooLong: `Mô tả quá dài: tối đa ${MAX_DESCRIPTION_LENGTH} ký tự. Vui lòng rút gọn rồi gửi lại trong một tin nhắn.`,
  photoKeptForLater: (count: number) =>
    `Đã nhận ảnh ${count}/${MAX_PHOTOS}, ảnh sẽ được gửi kèm tin báo. Vui lòng mô tả bằng chữ điều bạn thấy.`,
  askPhotos: (count: number) =>
    count === 0
      ? `Bước 7/8. Bạn có ảnh không? Gửi tối đa ${MAX_PHOTOS} ảnh, hoặc chọn «Không có ảnh». Thông tin vị trí trong ảnh sẽ được xóa.`
      : `Bước 7/8. Đã có ${count}/${MAX_PHOTOS} ảnh. Gửi thêm ảnh hoặc chọn «Xong». Thông tin vị trí trong ảnh sẽ được xóa.`,
  photoReceived: (count: number) =>
    count >= MAX_PHOTOS
      ? `Đã nhận ảnh ${count}/${MAX_PHOTOS}. Đã đủ số ảnh, chọn «Xong» để tiếp tục.`
      : `Đã nhận ảnh ${count}/${MAX_PHOTOS}. Gửi thêm ảnh hoặc chọn «Xong».`,
  askConsent:
    'Bước 8/8. Cán bộ có thể cần hỏi thêm. Bạn có đồng ý nhận câu hỏi qua cuộc trò chuyện này không? Họ không thấy tên hay tài khoản của bạn.',
  summaryTitle: 'Vui lòng xem lại tin báo:',
  summaryFooter: 'Chọn «Gửi» để gửi, «Sửa» để sửa một mục, «Hủy» để hủy.',
  chooseEdit: 'Bạn muốn sửa mục nào?',
  sent: (receiptCode: string) =>
    [
      'Cảm ơn bạn. Tin báo đã được gửi và mã hóa.',
      `Mã tin báo của bạn: ${receiptCode}`,
      `Hãy ghi lại mã này. Để tra cứu sau, gõ /trangthai ${receiptCode}`,
    ].join('\n'),
  cancelled: 'Đã hủy. Bản nháp đã được xóa. Gõ /start khi bạn muốn gửi tin báo.',
  confirmCancel: 'Bạn có chắc muốn hủy tin báo này? Bản nháp sẽ bị xóa.',
  notCancelled: 'Bản nháp vẫn được giữ. Mời bạn tiếp tục:',
  receiptAgain: (receiptCode: string) =>
    [
      `Tin báo của bạn đã được gửi, mã ${receiptCode}.`,
      `Hãy ghi lại mã này. Để tra cứu sau, gõ /trangthai ${receiptCode}`,
    ].join('\n'),
  descriptionMeaningless:
    'Mô tả cần có chữ hoặc số, không chỉ biểu tượng hay ký tự ẩn. Vui lòng mô tả bằng chữ điều bạn thấy.',
  candidateDescription:
    'Tin nhắn này đến ngay sau đoạn mô tả quá dài, nên có thể là phần còn lại của đoạn đó. Bạn có muốn dùng tin nhắn này làm mô tả không?',
  addText: 'Bạn vừa gửi thêm chữ. Bạn có muốn thêm đoạn này vào phần mô tả không?',
  textAdded: 'Đã thêm vào mô tả.',
  textNotAdded: 'Đã bỏ qua đoạn đó.',
  additionTooLong: `Không thêm được: mô tả sẽ dài quá ${MAX_DESCRIPTION_LENGTH} ký tự.`,
  unsupportedProtected:
    'TinBao không đọc được tin nhắn này: ứng dụng không chuyển nội dung của nó cho bot. Vui lòng gõ bằng chữ, hoặc gửi ảnh thường. Với tin nhạy cảm nhất, bạn có thể dùng trang web tin báo của TinBao.',
  photoExpired: 'Không tải được ảnh này vì đường dẫn ảnh đã hết hạn. Vui lòng gửi lại ảnh.',
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
  questionsIntro: (count: number) =>
    count === 1 ? 'Cán bộ có một câu hỏi cho bạn:' : `Cán bộ có ${count} câu hỏi cho bạn:`,
  question: (text: string, number?: number) => (number ? `Câu hỏi ${number}: «${text}»` : `«${text}»`),
  questionsHow:
    'Câu trả lời được mã hóa ngay, chỉ cán bộ có thẩm quyền đọc được. Đừng ghi tên hay số điện thoại của bạn.',
  answerOfferHint: 'Vui lòng chọn câu hỏi muốn trả lời, hoặc «Để sau».',
  answerLater: 'Được. Bạn có thể trả lời sau: tra cứu lại mã tin báo để xem câu hỏi.',
  answerPrompt: (question: string) =>
    `Câu hỏi: «${question}»\nHãy gõ câu trả lời trong một tin nhắn (tối đa ${MAX_ANSWER_LENGTH} ký tự).`,
  answerHint: `Vui lòng gõ câu trả lời bằng chữ trong một tin nhắn (tối đa ${MAX_ANSWER_LENGTH} ký tự), hoặc chọn «Không trả lời nữa».`,
  answerEmpty: 'Câu trả lời đang trống. Vui lòng gõ câu trả lời bằng chữ.',
  answerTooLong: `Câu trả lời quá dài: tối đa ${MAX_ANSWER_LENGTH} ký tự. Vui lòng rút gọn rồi gửi lại trong một tin nhắn.`,
  answerMeaningless:
    'Câu trả lời cần có chữ hoặc số, không chỉ biểu tượng hay ký tự ẩn. Vui lòng gõ lại bằng chữ.',
  answerSent:
    'Cảm ơn bạn. Câu trả lời đã được mã hóa và gửi đến cán bộ. Bạn có thể tra cứu lại mã tin báo để xem câu hỏi mới.',
  answerCancelled: 'Đã bỏ qua. Câu hỏi vẫn chờ bạn khi tra cứu lại mã tin báo.',
  answerTooMany: 'Bạn đã gửi nhiều câu trả lời. Vui lòng thử lại sau khoảng 10 phút.',
  answerNotOpen:
    'Câu hỏi này đã được trả lời hoặc cán bộ đã rút lại. Vui lòng tra cứu lại mã tin báo để xem câu hỏi hiện có.',
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
    ? `Vui lòng gửi ảnh (tối đa ${MAX_PHOTOS} ảnh) hoặc chọn «Không có ảnh».`
    : `Vui lòng gửi thêm ảnh (tối đa ${MAX_PHOTOS} ảnh) hoặc chọn «Xong».`;
}

/** The short hint for anything unexpected, by step: what the bot is waiting for right now. */
export function hintOf(step: Step, caps: Pick<ChannelCapabilities, 'buttons'>, photoCount = 0): string {
  const how = chooseHow(caps);
  switch (step) {
    case 'idle':
      return 'Gõ /start để gửi tin báo, hoặc /trogiup để xem hướng dẫn.';
    case 'category':
      return `Vui lòng chọn loại hành vi ${how}.`;
    case 'province':
      return `Vui lòng gõ tên tỉnh, thành phố (không cần dấu) hoặc chọn ${how}.`;
    case 'commune':
      return `Vui lòng gõ một phần tên xã, phường (không cần dấu), rồi chọn ${how}.`;
    case 'venue':
      return `Vui lòng chọn nơi xảy ra ${how}.`;
    case 'when':
      return `Vui lòng chọn thời gian ${how}.`;
    case 'description':
      return 'Vui lòng mô tả bằng chữ điều bạn thấy, trong một tin nhắn.';
    case 'photos':
      return photosHint(photoCount);
    case 'consent':
      return `Vui lòng chọn «Đồng ý» hoặc «Không» ${how}.`;
    case 'summary':
      return `Vui lòng chọn «Gửi», «Sửa» hoặc «Hủy» ${how}.`;
    case 'editChoice':
      return `Vui lòng chọn mục cần sửa ${how}.`;
  }
}

export const TOO_LONG_HINT = 'Tin nhắn quá dài.';
