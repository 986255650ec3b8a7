import type { Catalogue } from "./catalogue";
import { consoleVi } from "./console-vi";

export const vi: Catalogue = {
  welcome: (name, newsroom) =>
    `Xin chào${name ? ` ${name}` : ""}! Tôi là bản tin của ${newsroom}: tin mới mỗi ngày, tìm tin, đọc trọn bài ngay trong khung chat.`,
  welcomeBack: (name, newsroom) =>
    `Chào mừng${name ? ` ${name}` : ""} quay lại! Bản tin hằng ngày của ${newsroom} đã được bật lại.`,
  pickTopics: "Hãy chọn các chủ đề bạn muốn nhận tin:",
  pickTopicsGroup: "Quản trị viên nhóm có thể chọn chủ đề cho cả nhóm bằng /chude.",
  topicsTitle: "Chủ đề của bạn",
  topicsHint: "Bấm vào chủ đề để chọn hoặc bỏ chọn (✅ là đang theo dõi).",
  topicsDone: "Xong",
  topicsSaved: (names) => `Đã lưu. Bạn đang theo dõi: ${names.join(", ")}.`,
  topicsNone: "Đã lưu. Bạn chưa theo dõi chủ đề nào; gõ /chude để chọn.",
  topicSubscribed: (name) => `Đã theo dõi: ${name}`,
  topicUnsubscribed: (name) => `Đã bỏ theo dõi: ${name}`,
  unknownTopic: (slug, known) => `Không có chủ đề “${slug}”. Các chủ đề: ${known.join(", ")}.`,
  noTopicsYet: "Tòa soạn chưa có chủ đề nào.",
  latestTitle: (topic) => (topic ? `Tin mới nhất — ${topic}` : "Tin mới nhất"),
  latestEmpty: (topic) => (topic ? `Chưa có tin nào trong mục ${topic}.` : "Chưa có tin nào."),
  searchAsk: "Bạn muốn tìm gì? Gõ /tim và từ khóa, ví dụ: /tim bão lũ",
  searchTitle: (query) => `Kết quả tìm “${query}”`,
  searchNone: (query) => `Không tìm thấy tin nào với “${query}”.`,
  searchSuggest: (examples) =>
    `Thử từ khóa ngắn hơn, không cần dấu${examples.length ? `, ví dụ: ${examples.join(", ")}` : ""}.`,
  readButton: "Đọc",
  previous: "‹ Trước",
  next: "Sau ›",
  pageOf: (page, pages) => `Trang ${page}/${pages}`,
  storyNotFound: (id) => `Không tìm thấy bài số ${id}. Có thể bài đã bị gỡ.`,
  readUsage: "Gõ /doc và số thứ tự của tin trong danh sách vừa xem, ví dụ: /doc 2",
  original: "Xem bài gốc",
  listen: "🎧 Nghe chương trình",
  watch: "🎬 Xem video",
  photo: "Ảnh",
  digestTitle: "Bản tin của bạn",
  digestDailyTitle: (date, newsroom) => `${newsroom} · Bản tin ngày ${date}`,
  digestEmpty: "Chưa có tin mới trong các chủ đề của bạn.",
  digestNoTopics: "Bạn chưa chọn chủ đề nào. Gõ /chude để chọn.",
  digestMore: (count, command) => `+${count} tin nữa: ${command}`,
  timeCurrent: (time, zone, enabled) =>
    enabled ? `Bản tin hằng ngày đến lúc ${time} (${zone}).` : "Bản tin hằng ngày đang tắt.",
  timeUsage: "Đổi giờ: /gio 07:30 — tắt: /gio tat",
  timeSet: (time, zone) => `Đã đặt: bản tin đến lúc ${time} mỗi ngày (${zone}).`,
  timeOff: "Đã tắt bản tin hằng ngày. Bật lại: /gio 07:00",
  timeInvalid: (text) => `“${text}” không phải giờ hợp lệ. Hãy gõ dạng HH:MM, ví dụ /gio 07:30.`,
  timeZoneInvalid: (zone) =>
    `“${zone}” không phải múi giờ hợp lệ. Ví dụ: /gio 07:30 Asia/Ho_Chi_Minh`,
  langAsk: "Chọn ngôn ngữ / Choose a language:",
  langSet: "Đã chuyển sang tiếng Việt.",
  stopAsk: "Bạn có chắc muốn dừng nhận mọi tin từ bản tin?",
  stopYes: "Có, dừng",
  stopNo: "Không",
  stopped: "Đã dừng. Bạn sẽ không nhận tin nữa. Gõ /start để bật lại bất cứ lúc nào.",
  stopCancelled: "Đã giữ nguyên, bạn vẫn nhận tin.",
  groupAdminsOnly: "Xin lỗi, chỉ quản trị viên của nhóm mới đổi được cài đặt này.",
  unknownCommand: (command) => `Tôi chưa hiểu lệnh ${command}. Gõ /trogiup để xem các lệnh.`,
  expired: "Nút này đã cũ. Hãy gõ lệnh lại.",
  help: [
    "/moi — tin mới nhất (/moi thoi-su: theo chủ đề)",
    "/tim <từ khóa> — tìm tin, không cần gõ dấu",
    "/doc <số> — đọc trọn tin số đó của danh sách vừa xem (/doc_1234: bài mã 1234)",
    "/chude — chọn chủ đề",
    "/bantin — bản tin của tôi ngay bây giờ",
    "/gio 07:30 — giờ nhận bản tin (/gio tat để tắt)",
    "/lang en — English",
    "/huy — dừng nhận tin",
    "/theodoi <từ khóa> — báo ngay khi có tin chứa các từ đó (/theodoi: danh sách)",
    "/botheodoi <số> — bỏ một từ khóa đang theo dõi",
    "/yenlang 22:00-06:00 — giờ yên lặng, không báo tin ngay (/yenlang tat để tắt)",
    "/dulieu — xem bản tin lưu gì về bạn (kèm tệp JSON)",
    "/xoadulieu — xóa mọi dữ liệu của bạn",
    "/tinnong — tin nóng (ban biên tập)",
  ],
  commands: {
    latest: "Tin mới nhất",
    search: "Tìm tin",
    read: "Đọc trọn bài",
    topics: "Chọn chủ đề",
    digest: "Bản tin của tôi",
    time: "Giờ nhận bản tin",
    lang: "Ngôn ngữ",
    stop: "Dừng nhận tin",
    help: "Trợ giúp",
    start: "Bắt đầu",
    follow: "Theo dõi từ khóa",
    unfollow: "Bỏ theo dõi từ khóa",
    quiet: "Giờ yên lặng",
    mydata: "Dữ liệu của tôi",
    deleteme: "Xóa dữ liệu của tôi",
  },
  inlineNoResults: "Không tìm thấy tin",
  textOnly: "Tôi chỉ đọc được tin nhắn chữ. Gõ “trợ giúp” để xem cách dùng.",
  noChoices: "Chưa có danh sách nào để chọn. Gõ “mới”, “chủ đề” hoặc “tìm <từ khóa>”.",
  choiceOutOfRange: (n, first, last) => `Không có số ${n}. Hãy chọn từ ${first} đến ${last}.`,
  breakingTitle: (newsroom) => `🔴 TIN NÓNG · ${newsroom}`,
  broadcastNotAdmin: "Xin lỗi, lệnh này chỉ dành cho ban biên tập.",
  consoleLinkTitle: "Đăng nhập trang quản trị",
  consoleLinkHint: (minutes) =>
    `Mở đường dẫn trên để đăng nhập. Đường dẫn chỉ dùng được một lần, trong ${minutes} phút; đừng chuyển cho ai.`,
  consolePrivateOnly: "Vì an toàn, hãy gửi /admin cho tôi trong cuộc trò chuyện riêng.",
  consoleUnavailable: "Trang quản trị chưa được bật trên máy chủ này.",
  broadcastUsage:
    "Gõ /tinnong và nội dung tin, có thể kèm số bài. Chỉ gửi một chủ đề: #thoi-su; một nền tảng: @telegram hoặc @zalo; hẹn giờ: lúc 14:00. Ví dụ: /tinnong #thoi-su Mưa lớn gây ngập ở trung tâm thành phố.",
  broadcastTooLong: (max) => `Tin nóng dài tối đa ${max} ký tự.`,
  broadcastNotDraft: (id) => `Tin nóng #${id} đã được xử lý rồi.`,
  broadcastPreviewTitle: (id) => `Xem trước tin nóng #${id}`,
  broadcastRecipients: (count) => `Người nhận: ${count}`,
  broadcastAudience: (topic, platform) =>
    [
      topic ? `độc giả chủ đề ${topic}` : "tất cả độc giả",
      platform ? `trên ${platform === "zalo" ? "Zalo" : "Telegram"}` : "",
    ]
      .filter(Boolean)
      .join(" "),
  broadcastSend: (count) => `✅ Gửi cho ${count} người`,
  broadcastCancel: "✖ Hủy",
  broadcastDiscarded: (id) => `Đã hủy tin nóng #${id}, chưa gửi cho ai.`,
  broadcastSendingTitle: (id) => `Đang gửi tin nóng #${id}`,
  broadcastDoneTitle: (id) => `Đã gửi xong tin nóng #${id}`,
  broadcastCancelledTitle: (id) => `Đã dừng tin nóng #${id}`,
  broadcastCounts: (sent, blocked, failed, left) =>
    `Đã gửi ${sent} · Đã chặn bot ${blocked} · Lỗi ${failed} · Còn lại ${left}`,
  broadcastStop: "⏹ Dừng gửi",
  broadcastTestButton: "🧪 Gửi thử cho ban biên tập",
  broadcastTested: (chats) => `Đã gửi thử tới ${chats}. Bạn đọc chưa nhận được gì.`,
  broadcastAt: (time) => `Hẹn gửi lúc ${time}`,
  broadcastSchedule: (count) => `⏰ Hẹn gửi cho ${count} người`,
  broadcastScheduled: (id, time) =>
    `Đã hẹn giờ: tin nóng #${id} sẽ được gửi lúc ${time}. Muốn sửa hoặc hủy, hãy dùng trang quản trị (/admin).`,
  broadcastPastTime:
    "Giờ gửi đó đã qua. Hãy chọn một giờ sắp tới, ví dụ: /tinnong lúc 14:00 Mưa lớn…",
  // News as it happens: topic modes, keyword alerts, quiet hours.
  instantTitle: "⚡ Tin mới",
  instantFollowMatched: (keywords) => `⚡ Theo dõi ${keywords.map((k) => `«${k}»`).join(", ")}`,
  modesButton: "⚙️ Cách nhận tin",
  modesTitle: "Cách nhận tin theo chủ đề",
  modesHint: "Chọn một chủ đề để đổi cách nhận tin của chủ đề đó.",
  modesNone: "Bạn chưa theo dõi chủ đề nào. Hãy chọn chủ đề trước: /chude",
  modeAsk: (topic) => `${topic}: bạn muốn nhận tin thế nào?`,
  modeDigest: "📰 Bản tin hằng ngày",
  modeInstant: "⚡ Ngay khi có tin",
  modeBoth: "📰⚡ Cả hai",
  modeSet: (topic, mode) => `${topic}: ${mode}`,
  back: "‹ Quay lại",
  followTitle: "Từ khóa bạn theo dõi",
  followNone: "Bạn chưa theo dõi từ khóa nào.",
  followUsage:
    "Gõ /theodoi và từ hoặc cụm từ, ví dụ: /theodoi bão lũ. Có tin mới chứa đủ các từ đó (không cần dấu, không cần liền nhau), tôi sẽ báo ngay. Bỏ: /botheodoi <số>",
  followAdded: (words, count, max) =>
    `Đã theo dõi “${words}” (${count}/${max}). Có tin mới chứa các từ này, tôi sẽ báo ngay.`,
  followExists: (words) => `Bạn đã theo dõi “${words}” rồi.`,
  followLimit: (max) =>
    `Bạn đã theo dõi đủ ${max} từ khóa. Hãy bỏ bớt bằng /botheodoi <số> rồi thêm lại.`,
  followEmpty: (text) =>
    `“${text}” không có chữ hay số nào để theo dõi. Hãy gõ từ khóa, ví dụ: /theodoi bão lũ`,
  followTooLong: (max) => `Từ khóa dài tối đa ${max} ký tự. Hãy gõ ngắn hơn.`,
  unfollowDone: (words) => `Đã bỏ theo dõi “${words}”.`,
  unfollowNotFound: (text) => `Bạn không theo dõi “${text}”. Gõ /theodoi để xem danh sách.`,
  unfollowUsage: "Gõ /botheodoi và số trong danh sách, ví dụ: /botheodoi 2",
  quietCurrent: (from, until, zone) =>
    `Giờ yên lặng: ${from}–${until} (${zone}). Trong giờ này tôi không báo tin ngay; tin để dành gửi sau.`,
  quietNone: "Giờ yên lặng đang tắt: tin được báo ngay cả ban đêm.",
  quietUsage: "Đổi: /yenlang 22:00-06:00 — tắt: /yenlang tat",
  quietSet: (from, until, zone) =>
    `Đã đặt giờ yên lặng ${from}–${until} (${zone}). Tin trong giờ này sẽ gửi sau đó.`,
  quietOff: "Đã tắt giờ yên lặng. Bật lại: /yenlang 22:00-06:00",
  quietInvalid: (text) =>
    `“${text}” không phải khoảng giờ hợp lệ. Hãy gõ dạng HH:MM-HH:MM, ví dụ /yenlang 22:00-06:00.`,
  // Channel posts (src/message/channel-post.ts).
  channelReadMore: "Đọc tiếp",
  // One numbering rule and read counts.
  readNoList:
    "Chưa có danh sách tin nào ở đây. Gõ /moi hoặc /tim <từ khóa> để xem danh sách, rồi /doc <số>.",
  readNotInList: (n, count, first, last) =>
    `Danh sách gần nhất có ${count} tin (số ${first === last ? first : `${first}–${last}`}); không có tin số ${n}.`,
  readOwnCommand: "doc",
  digestMostRead: "Đọc nhiều",
  digestPinned: "Tin nổi bật",
  storyRetractedMark: "(đã gỡ)",
  storyRetractedNotice: (title) =>
    `Tòa soạn đã gỡ bài «${title}» gửi bạn trước đó. Xin bỏ qua bài này.`,
  // Alerts to admins.
  alertFeedFailing: (url, failures, error) =>
    `⚠️ Nguồn tin ${url} lỗi ${failures} lần liên tiếp: ${error}`,
  alertFeedRecovered: (url) => `✅ Nguồn tin ${url} đã hoạt động trở lại.`,
  alertDeadLetters: (platform, count, minutes) =>
    `⚠️ ${count} tin nhắn ${platform} không gửi được (đã bỏ) trong ${minutes} phút qua. Xem: bantin delivery list`,
  alertDeadLettersCleared: (platform, minutes) =>
    `✅ Số tin nhắn ${platform} không gửi được trong ${minutes} phút qua đã xuống dưới ngưỡng.`,
  alertOutboxLag: (platform, minutes, waiting) =>
    `⚠️ Hàng đợi gửi ${platform} chậm ${minutes} phút: ${waiting} tin nhắn đang chờ.`,
  alertOutboxCaughtUp: (platform) => `✅ Hàng đợi gửi ${platform} đã theo kịp.`,
  alertTokenRefused: (platform, reason, variable) =>
    `⚠️ ${platform} từ chối token của bot (${reason}): bantin đã ngừng phục vụ ${platform}. Hãy kiểm tra ${variable} rồi khởi động lại bantin.`,
  alertTokenWorks: (platform) => `✅ bantin đã phục vụ ${platform} trở lại.`,
  // A reader's own data.
  dataTitle: "Dữ liệu bản tin lưu về bạn",
  dataJoined: (date) => `Bắt đầu dùng: ${date}`,
  dataLanguage: "Ngôn ngữ: Tiếng Việt",
  dataDigest: (time, zone) =>
    time ? `Bản tin hằng ngày: ${time} (${zone})` : "Bản tin hằng ngày: tắt",
  dataQuiet: (from, until) => (from ? `Giờ yên lặng: ${from}–${until}` : "Giờ yên lặng: tắt"),
  dataTopics: (topics) =>
    topics.length
      ? `Chủ đề: ${topics.map((t) => `${t.name} (${t.mode})`).join(", ")}`
      : "Chủ đề: chưa chọn",
  dataFollows: (words) =>
    words.length
      ? `Từ khóa theo dõi: ${words.map((w) => `“${w}”`).join(", ")}`
      : "Từ khóa theo dõi: không có",
  dataSent: (messages, pushed, days) =>
    `Đã gửi cho bạn trong ${days} ngày qua: ${messages} tin nhắn${pushed ? `, trong đó ${pushed} tin báo ngay khi có` : ""}`,
  dataFileNote: "Chi tiết đầy đủ ở dạng JSON ngay sau đây. Muốn xóa tất cả: /xoadulieu",
  dataFileCaption: "Dữ liệu của bạn (JSON)",
  eraseAsk:
    "Xóa mọi dữ liệu bản tin lưu về bạn: chủ đề, từ khóa theo dõi, giờ nhận tin, lịch sử tin đã gửi? Không thể hoàn tác, và bạn sẽ không nhận tin nữa cho tới khi gõ /start.",
  eraseYes: "Có, xóa hết",
  eraseNo: "Không",
  erased:
    "Đã xóa mọi dữ liệu của bạn. Bản tin chỉ giữ những con số thống kê chung, không gắn với bạn. Gõ /start nếu muốn dùng lại từ đầu.",
  eraseCancelled: "Đã giữ nguyên dữ liệu của bạn.",
  topicRemoved: (name) => `Chuyên mục «${name}» đã ngừng; bạn vẫn nhận các chuyên mục khác.`,
  console: consoleVi,
};
