import { MAX_DESCRIPTION_LENGTH, MAX_PHOTOS } from '@tinbao/shared';
import { hintOf, privacyNote, TEXT } from '../../conversation/messages';
import type { ChannelCapabilities } from '../../conversation/types';

export const WEB_CAPABILITIES: ChannelCapabilities = {
  channel: 'web',
  // Radio buttons and submit buttons: "bằng các nút bên dưới" reads right on a form.
  buttons: true,
  maxTextLength: 100_000,
  location: false,
  photos: true,
};

/**
 * The web form's own words: the page around the conversation (titles, what is recorded,
 * Tor Browser, the receipt, the status page, errors). The conversation's words stay in
 * conversation/messages.ts; this file only frames them for a page.
 */
export const WEB_TEXT = {
  siteName: 'TinBao',
  title: 'TinBao: gửi tin báo ẩn danh',
  intro:
    'Đây là trang web tin báo của TinBao: bạn báo tin về ma túy và tội phạm, tin được chuyển đến công an xã, phường nơi xảy ra. Bạn không cần cho biết tên, số điện thoại hay tài khoản nào.',
  privacy: privacyNote({ channel: 'web' }),
  recordedTitle: 'Trang này ghi lại gì',
  recorded: [
    'Chỉ những gì bạn nhập vào tin báo. Tin được mã hóa ngay khi gửi; chỉ cán bộ có thẩm quyền đọc được.',
    'Một cookie duy nhất giữ mã ngẫu nhiên của bản nháp trong 1 giờ, để các bước nối tiếp nhau. Bản nháp được mã hóa và tự xóa sau 24 giờ nếu bạn không gửi.',
  ],
  notRecordedTitle: 'Trang này không ghi lại gì',
  notRecorded: [
    'Không ghi địa chỉ IP, không dùng JavaScript, không có quảng cáo, phông chữ hay hình ảnh của trang khác, không cần đăng nhập.',
    'Ảnh được xử lý lại để xóa vị trí (GPS) và thông tin máy ảnh.',
  ],
  torTitle: 'Mở bằng Tor Browser (an toàn hơn)',
  tor: [
    'Nhà mạng, Wi-Fi công cộng hoặc nơi làm việc có thể thấy bạn mở trang này. Tor Browser che việc đó.',
    'Tải Tor Browser từ trang chính thức torproject.org (Android: Google Play hoặc F-Droid), mở ứng dụng và bấm «Kết nối».',
    'Gõ địa chỉ trang này vào thanh địa chỉ của Tor Browser.',
    'Bấm biểu tượng khiên và chọn mức «An toàn nhất» (Safest): trang này vẫn dùng được vì không cần JavaScript.',
  ],
  sharedPhone: 'Trên điện thoại dùng chung, hãy mở thẻ ẩn danh và xóa lịch sử duyệt web sau khi gửi.',
  startButton: 'Gửi tin báo',
  continueDraft: 'Tiếp tục tin báo đang soạn',
  statusLink: 'Tra cứu tin đã gửi',
  homeLink: 'Trang đầu',
  next: 'Tiếp tục',
  search: 'Tìm',
  upload: 'Tải ảnh lên',
  cancelDraft: 'Hủy tin báo',
  provinceSearchLabel: 'Gõ tên tỉnh, thành phố (không cần dấu)',
  communeSearchLabel: 'Gõ một phần tên xã, phường (không cần dấu)',
  descriptionLabel: 'Mô tả',
  photoLabel: `Chọn ảnh (tối đa ${MAX_PHOTOS} ảnh, mỗi ảnh tối đa 10 MB)`,
  choicesLegend: 'Chọn một mục',
  receiptTitle: 'Đã gửi tin báo',
  receiptThanks: 'Cảm ơn bạn. Tin báo đã được gửi và mã hóa.',
  receiptCodeLabel: 'Mã tin báo của bạn',
  receiptHowToCheck:
    'Hãy ghi lại mã này. Để xem tin đã được xử lý đến đâu, mở trang «Tra cứu tin đã gửi» của TinBao và nhập mã; trên Zalo hoặc Telegram, gõ /trangthai và mã cho bot TinBao.',
  receiptWarning:
    'Hãy giữ bí mật mã này vì ai có mã đều xem được trạng thái tin báo, và nếu dùng chung điện thoại, hãy xóa lịch sử duyệt web sau khi ghi lại mã.',
  receiptDone: 'Xong, xóa bản nháp khỏi trình duyệt này',
  anotherTip: 'Gửi tin báo khác',
  statusTitle: 'Tra cứu tin đã gửi',
  statusIntro: 'Nhập mã tin báo bạn nhận được khi gửi (dạng TB-XXXXX-XXXXX).',
  statusLabel: 'Mã tin báo',
  statusButton: 'Tra cứu',
  answerButton: 'Gửi câu trả lời',
  statusEmpty: 'Vui lòng nhập mã tin báo, dạng TB-XXXXX-XXXXX.',
  statusTooMany: 'Bạn tra cứu hơi nhiều. Vui lòng thử lại sau ít phút.',
  noCookie:
    'Trình duyệt không gửi lại mã bản nháp (cookie đã hết hạn, bị xóa hoặc bị chặn). TinBao không biết bản nháp nào là của bạn nên chưa lưu được câu trả lời này. Vui lòng bật cookie cho trang này rồi bắt đầu lại.',
  foreignForm:
    'Biểu mẫu này thuộc về một bản nháp khác (có thể bạn đã bắt đầu tin báo mới ở thẻ khác). Câu trả lời chưa được lưu; dưới đây là bản nháp hiện tại của bạn.',
  draftGone:
    'Không tìm thấy bản nháp này: có thể tin đã được gửi, đã hủy hoặc đã hết hạn. Bạn có thể bắt đầu tin báo mới.',
  bodyTooLarge: `Nội dung gửi lên quá lớn (ảnh tối đa 10 MB, mô tả tối đa ${MAX_DESCRIPTION_LENGTH} ký tự). Câu trả lời này chưa được lưu, những gì bạn đã nhập trước đó vẫn còn.`,
  badRequest: 'Không đọc được biểu mẫu này. Những gì bạn đã nhập trước đó vẫn còn, mời bạn thử lại.',
  crossSite: 'Biểu mẫu này được gửi từ một trang khác nên TinBao không nhận. Vui lòng mở TinBao trực tiếp.',
  notFound: 'Không có trang này.',
  tryAgain: 'Thử lại',
  tooManyRequests:
    'Bạn gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng chờ một phút rồi bấm «Tiếp tục»; bản nháp của bạn vẫn được giữ.',
  waitTitle: 'Vui lòng chờ một chút',
  wait: (seconds: number) =>
    `Lúc này TinBao nhận được rất nhiều yêu cầu, nên mỗi tin báo mới phải chờ một chút để chống gửi tự động. Vui lòng chờ khoảng ${seconds} giây rồi bấm «Tiếp tục». Trang sẽ tự tải lại; không cần giải câu đố nào.`,
  waitReady: 'Bạn có thể tiếp tục. Bấm «Tiếp tục» để bắt đầu tin báo.',
  busy: (seconds: number) =>
    `TinBao đang quá tải vì có quá nhiều yêu cầu. Vui lòng quay lại sau khoảng ${Math.max(1, Math.ceil(seconds / 60))} phút.`,
  photoLimitWeb: `Chỉ nhận tối đa ${MAX_PHOTOS} ảnh; những ảnh chọn thêm đã được bỏ qua.`,
  submitLimited:
    'Từ mạng của bạn đã có nhiều tin báo được gửi trong giờ qua. Để tránh quá tải, vui lòng thử lại sau ít phút, bản nháp vẫn được giữ.',
} as const;

/**
 * The few lines of the conversation that name a messenger's commands or "this chat", said
 * the web's way. Matched line by line, exactly: a new core text that names a command shows
 * up in the web tests (no page may say /start, /huy, /trogiup or /trangthai).
 */
const WEB_WORDING = new Map<string, string>([
  [
    'Bấm «Gửi tin báo» để bắt đầu. Gõ /huy để hủy bất cứ lúc nào, /trogiup để xem hướng dẫn.',
    'Bấm «Gửi tin báo» để bắt đầu. Bạn có thể hủy bất cứ lúc nào bằng nút «Hủy tin báo».',
  ],
  [hintOf('idle', WEB_CAPABILITIES), 'Bấm «Gửi tin báo» để bắt đầu một tin báo mới.'],
  [TEXT.cancelled, 'Đã hủy. Bản nháp đã được xóa khỏi TinBao.'],
  [TEXT.nothingToCancel, 'Không có tin báo nào đang soạn.'],
  [
    TEXT.askConsent,
    'Bước 8/8. Cán bộ có thể cần hỏi thêm. Bạn có đồng ý nhận câu hỏi không? Câu hỏi sẽ hiện khi bạn tra cứu bằng mã tin báo; cán bộ không thấy tên hay địa chỉ của bạn.',
  ],
  [hintOf('description', WEB_CAPABILITIES), 'Vui lòng mô tả bằng chữ điều bạn thấy.'],
  [
    TEXT.descriptionTooLong,
    `Mô tả quá dài: tối đa ${MAX_DESCRIPTION_LENGTH} ký tự. Vui lòng rút gọn rồi gửi lại.`,
  ],
]);

/** A reply of the core as the web shows it. */
export function webWording(text: string): string {
  return text
    .split('\n')
    .map((line) => WEB_WORDING.get(line) ?? line)
    .join('\n');
}

/** The web's cancelled text (tests compare with it). */
export const WEB_CANCELLED = webWording(TEXT.cancelled);
