// Longer than 400 lines because it is one language's whole console catalogue, one entry per
// text: splitting it would only scatter it.
import type { ConsoleCatalogue } from "./console";
import { broadcastReportVi } from "./console-report";

/** Platforms as the audit names them. */
const PLATFORM_NAMES: Record<string, string> = {
  telegram: "Telegram",
  zalo: "Zalo",
  terminal: "Thử nghiệm",
};

/** The web console in Vietnamese. */
export const consoleVi: ConsoleCatalogue = {
  common: {
    title: "Bàn điều hành",
    nav: {
      overview: "Tổng quan",
      feeds: "Nguồn tin",
      topics: "Chủ đề",
      stories: "Tin bài",
      broadcasts: "Tin nóng",
      deliveries: "Gửi tin",
      audit: "Nhật ký",
    },
    signedInAs: (admin) => `Đăng nhập: ${admin}`,
    signOut: "Đăng xuất",
    actor: { cli: "Dòng lệnh", token: "Mã đăng nhập (ADMIN_WEB_TOKEN)", reader: "Bạn đọc" },
    otherLanguage: "English",
    platform: { telegram: "Telegram", zalo: "Zalo", terminal: "Thử nghiệm" },
    allPlatforms: "Mọi nền tảng",
    allTopics: "Mọi chủ đề",
    none: "Không có",
    never: "Chưa lần nào",
    now: "ngay bây giờ",
    save: "Lưu",
    back: "Quay lại",
    csrfRefused:
      "Biểu mẫu này đã cũ hoặc không đến từ trang quản trị, nên không được thực hiện. Hãy tải lại trang rồi thử lại.",
    notFound: "Không tìm thấy trang này.",
    badRequest: "Địa chỉ hoặc biểu mẫu này không hợp lệ, nên không được thực hiện.",
    sessionEnded:
      "Phiên đăng nhập đã hết hạn nên thao tác vừa rồi chưa được thực hiện. Hãy đăng nhập lại rồi làm lại.",
    signInAgain: "Đăng nhập lại",
    tooManyAttempts: "Bạn đã thử đăng nhập quá nhiều lần. Hãy đợi một phút rồi thử lại.",
    serverError: "Có lỗi phía máy chủ; việc này đã được ghi lại. Hãy thử lại sau.",
    zoneNote: (zone) => `Giờ theo múi ${zone}`,
  },
  signIn: {
    title: "Đăng nhập",
    howTo:
      "Gửi /admin cho bot trong cuộc trò chuyện riêng (Telegram hoặc Zalo) để nhận đường dẫn đăng nhập dùng một lần.",
    linkTitle: "Đăng nhập bằng đường dẫn từ bot",
    linkIntro: "Bấm nút dưới đây để đăng nhập. Đường dẫn chỉ dùng được một lần.",
    linkButton: "Đăng nhập",
    linkExpired:
      "Đường dẫn này đã hết hạn hoặc đã được dùng. Gửi /admin cho bot để nhận đường dẫn mới.",
    tokenLabel: "Mã quản trị (ADMIN_WEB_TOKEN)",
    tokenButton: "Đăng nhập bằng mã",
    tokenWrong: "Mã không đúng.",
    signedOut: "Bạn đã đăng xuất.",
    alreadyIn: "Đã đăng nhập? Mở trang quản trị",
  },
  overview: {
    activeReaders: "Bạn đọc đang nhận tin",
    storiesToday: "Tin mới hôm nay",
    sentToday: "Tin nhắn đã gửi hôm nay",
    deadLetters: "Tin nhắn gửi hỏng",
    feedsLine: (c) =>
      `${c.total} nguồn tin: ${c.ok} hoạt động tốt, ${c.failing} đang lỗi, ${c.paused} tạm dừng.`,
    feedsLink: "Xem nguồn tin",
    readersTitle: "Bạn đọc theo nền tảng",
    platformColumn: "Nền tảng",
    readerStatus: { active: "Đang nhận tin", stopped: "Đã dừng", blocked: "Đã chặn bot" },
    total: "Tổng",
    topicsTitle: "Bạn đọc theo chủ đề",
    topicColumn: "Chủ đề",
    readersColumn: "Bạn đọc",
    storiesColumn: "Số tin",
    deliveriesTitle: "Tin nhắn theo trạng thái",
    outboxState: {
      pending: "Đang chờ gửi",
      sent: "Đã gửi",
      blocked: "Bạn đọc đã chặn",
      dead: "Gửi hỏng",
      cancelled: "Đã hủy",
    },
    chartsTitle: (days) => `${days} ngày qua`,
    charts: {
      storiesStored: "Tin đã lưu",
      messagesSent: "Tin nhắn đã gửi",
      newReaders: "Bạn đọc mới",
      storiesOpened: "Lượt mở tin",
    },
    chartSummary: (total, days) => `${total} trong ${days} ngày`,
    noTopics: "Chưa có chủ đề nào.",
    noReaders: "Chưa có bạn đọc nào.",
    erasuresTitle: "Bạn đọc xóa dữ liệu của mình",
    erasuresNote: (months) =>
      `Số lần bạn đọc xóa dữ liệu bằng /xoadulieu, ${months} tháng gần đây. Bản tin chỉ giữ con số này, không giữ gì của bạn đọc.`,
    monthColumn: "Tháng",
    erasuresColumn: "Số lần xóa",
    month: (month) => `${month.slice(5, 7)}/${month.slice(0, 4)}`,
  },
  feeds: {
    intro: "Các nguồn tin (RSS, Atom, JSON Feed) mà bot đọc, với tình trạng của từng nguồn.",
    empty: "Chưa có nguồn tin nào. Thêm nguồn đầu tiên ở dưới.",
    health: {
      new: "Chưa đọc lần nào",
      ok: "Hoạt động tốt",
      "page problems": "Có trang lỗi",
      failing: "Đang lỗi",
      paused: "Tạm dừng",
    },
    topic: "Chủ đề",
    fullText: "lấy toàn văn",
    lastSuccess: "Đọc được lần cuối",
    lastError: "Lỗi gần nhất",
    errorGist: {
      notFound: "Trang báo không còn địa chỉ này",
      denied: "Trang báo không cho đọc",
      busy: "Trang báo đang hạn chế số lần đọc",
      server: "Máy chủ của trang báo đang lỗi",
      http: "Trang báo trả lời lỗi",
      timeout: "Trang báo trả lời quá chậm",
      network: "Không kết nối được tới trang báo",
      tooLarge: "Nội dung quá lớn",
      redirect: "Địa chỉ chuyển hướng không dứt",
      refused: "Địa chỉ nội bộ, bị chặn để an toàn",
      stopped: "Lần đọc bị dừng giữa chừng",
      badUrl: "Địa chỉ không hợp lệ",
      diskFull: "Ổ đĩa của máy chủ bantin đã đầy, không lưu được tin",
      storage: "bantin không ghi được vào cơ sở dữ liệu",
      htmlPage: "Đây là một trang web (HTML), không phải nguồn tin",
      empty: "Địa chỉ này không trả về nội dung gì",
      notAFeed: "Địa chỉ này có trả lời, nhưng không phải nguồn tin RSS, Atom hay JSON",
      badFeed: "Nguồn tin bị hỏng: không đọc được XML hay JSON của nó",
      other: "Lỗi khác",
    },
    technical: "Chi tiết kỹ thuật",
    failuresInRow: (n) => (n === 1 ? "lỗi 1 lần" : `lỗi ${n} lần liên tiếp`),
    pageProblems: (n) => `${n} trang bài không đọc được`,
    nextCheck: "Lần đọc tới",
    pausedSince: "Tạm dừng từ",
    checkNow: "Đọc thử ngay",
    pause: "Tạm dừng",
    resume: "Chạy lại",
    remove: "Xóa",
    removeConfirm: (url) => `Xóa nguồn tin ${url}? Các tin đã lưu vẫn được giữ.`,
    addTitle: "Thêm nguồn tin",
    urlLabel: "Địa chỉ nguồn tin",
    urlHint: "Ví dụ: https://baolaocai.vn/rss/thoi-su.rss",
    fullTextLabel: "Lấy toàn văn từng bài (mở trang bài viết)",
    addButton: "Thêm nguồn",
    noTopicsYet: "Hãy thêm chủ đề trước, ở trang Chủ đề.",
    badUrl:
      "Địa chỉ phải bắt đầu bằng http:// hoặc https://, ví dụ https://baolaocai.vn/rss/thoi-su.rss.",
    urlTooLong: (max) => `Địa chỉ nguồn tin dài quá: tối đa ${max} ký tự.`,
    duplicate: "Nguồn tin này đã có trong danh sách.",
    noSuchTopic: "Chủ đề đã chọn không còn nữa. Hãy chọn lại.",
    added: "Đã thêm nguồn tin. Bot sẽ đọc nguồn này trong lần chạy tới.",
    paused: "Đã tạm dừng nguồn tin.",
    resumed: "Nguồn tin chạy lại và sẽ được đọc ngay trong lần chạy tới.",
    removed: "Đã xóa nguồn tin; các tin đã lưu vẫn được giữ.",
    checked: (s) =>
      s.notModified
        ? "Đã đọc thử: nguồn tin không có gì thay đổi."
        : `Đã đọc thử: ${s.new} tin mới, ${s.updated} tin cập nhật${s.failed ? `, ${s.failed} trang không đọc được` : ""}.`,
    checkFailed: (error) => `Đọc thử không được: ${error}`,
    notAFeed:
      "Địa chỉ này không phải nguồn tin (RSS, Atom hay JSON Feed). Hãy dán địa chỉ của chính nguồn tin, thường có đuôi .rss hoặc nằm ở trang RSS của báo.",
    unreachable: (why) =>
      `Không đọc được địa chỉ này: ${why}. Hãy kiểm tra lại địa chỉ; nếu trang báo chỉ đang tạm lỗi, hãy đánh dấu “Thêm cả khi chưa đọc được”.`,
    pageWithFeeds:
      "Đây là một trang web, không phải nguồn tin. Trang này có các nguồn tin sau, hãy chọn một:",
    addThisFeed: "Thêm nguồn này",
    noCheckLabel: "Thêm cả khi chưa đọc được (trang báo đang tạm lỗi)",
  },
  stories: {
    intro: "Các bài mới nhất, kể cả bài đã ẩn hoặc đã gỡ. Tìm theo tiêu đề hoặc số bài.",
    searchLabel: "Tìm bài",
    searchButton: "Tìm",
    empty: "Không có bài nào.",
    column: {
      id: "Số",
      title: "Tiêu đề",
      published: "Đăng lúc",
      state: "Trạng thái",
      actions: "Thao tác",
    },
    shown: "Đang hiện",
    hidden: "Đã ẩn",
    retracted: (at) => `Đã gỡ lúc ${at}`,
    pinnedUntil: (at) => `📌 Ghim đến ${at}`,
    hide: "Ẩn",
    unhide: "Hiện lại",
    pin: "Ghim lên bản tin",
    pinUntilLabel: "Ghim đến (HH:MM hoặc ngày giờ)",
    pinHint: "Bài đứng đầu mọi bản tin “📌 Tin nổi bật” đến giờ này.",
    unpin: "Bỏ ghim",
    retract: "Gỡ bài",
    reasonLabel: "Lý do (ghi vào nhật ký)",
    retractHint:
      "Gỡ hẳn: bài không còn được tìm, liệt kê hay gửi; tin Telegram đã gửi trong 48 giờ bị xóa hoặc sửa, người đọc Zalo nhận trong một ngày được báo một lần.",
    retractButton: "Gỡ bài này",
    refresh: "Cập nhật tin đã gửi",
    done: {
      hidden: "Đã ẩn bài.",
      unhidden: "Đã hiện lại bài.",
      pinned: "Đã ghim bài lên đầu bản tin.",
      unpinned: "Đã bỏ ghim.",
      retracted: (deleted, edited, tooOld, zalo) =>
        `Đã gỡ bài. Telegram: sẽ xóa ${deleted} tin, sửa ${edited} tin; ${tooOld} tin quá 48 giờ không gỡ được. Zalo: báo ${zalo} người đọc.`,
      refreshed: (edited, tooOld) =>
        `Sẽ sửa ${edited} tin Telegram đã gửi; ${tooOld} tin quá 48 giờ để nguyên.`,
    },
    problem: {
      noReason: "Cần ghi lý do gỡ bài.",
      reasonTooLong: (max) => `Lý do gỡ bài dài tối đa ${max} ký tự.`,
      badTime: "Giờ không hợp lệ: ghi HH:MM hoặc ngày giờ.",
      past: "Giờ này đã qua; chọn giờ sau.",
      retracted: "Bài đã gỡ, không thể hiện lại, ghim hay cập nhật.",
      hidden: "Bài đang ẩn; hiện lại trước khi ghim.",
    },
  },
  topics: {
    intro:
      "Chủ đề bạn đọc chọn theo dõi, theo thứ tự bot hiển thị. Mã chủ đề (slug) dùng trong đường dẫn và không đổi được.",
    empty: "Chưa có chủ đề nào.",
    slugColumn: "Mã",
    viColumn: "Tên tiếng Việt",
    enColumn: "Tên tiếng Anh",
    readersColumn: "Bạn đọc theo dõi",
    storiesColumn: "Số tin",
    feedsColumn: "Số nguồn",
    actionsColumn: "Sửa",
    moveUp: "Lên",
    moveDown: "Xuống",
    moveUpNamed: (name) => `Chuyển “${name}” lên`,
    moveDownNamed: (name) => `Chuyển “${name}” xuống`,
    rename: "Đổi tên",
    addTitle: "Thêm chủ đề",
    slugLabel: "Mã chủ đề",
    slugHint: "chữ thường, số, gạch ngang: thoi-su",
    viLabel: "Tên tiếng Việt",
    enLabel: "Tên tiếng Anh",
    addButton: "Thêm chủ đề",
    badSlug:
      "Mã chủ đề chỉ gồm chữ thường không dấu, số và gạch ngang, tối đa 58 ký tự, ví dụ: thoi-su.",
    namesRequired: "Cần có cả tên tiếng Việt và tên tiếng Anh.",
    namesTooLong: (max) => `Tên chủ đề dài tối đa ${max} ký tự.`,
    duplicate: (slug) => `Chủ đề có mã “${slug}” đã có rồi.`,
    added: "Đã thêm chủ đề.",
    renamed: "Đã đổi tên chủ đề.",
    moved: "Đã đổi thứ tự chủ đề.",
    remove: "Gỡ",
    removeNamed: (name) => `Gỡ chủ đề “${name}”`,
    removeHint:
      "Bạn đọc theo dõi chủ đề này được báo một lần và vẫn giữ các chủ đề khác. Tin đã lưu vẫn tìm được.",
    feedsChoice: (count) => `Chủ đề có ${count} nguồn tin. Với các nguồn tin này:`,
    moveFeedsTo: "Chuyển sang chủ đề",
    withFeeds: "Gỡ luôn cùng chủ đề",
    removeButton: "Gỡ chủ đề",
    hasFeeds: (feeds) =>
      `Chủ đề còn nguồn tin: ${feeds}. Hãy chọn chuyển chúng sang chủ đề khác hoặc gỡ luôn.`,
    sameTopic: "Không thể chuyển nguồn tin sang chính chủ đề đang gỡ.",
    lastTopic: "Đây là chủ đề cuối cùng; hãy thêm chủ đề khác trước khi gỡ chủ đề này.",
    removed: "Đã gỡ chủ đề.",
  },
  broadcasts: {
    intro:
      "Soạn tin nóng, xem trước đúng như bạn đọc sẽ thấy trên Telegram và Zalo, rồi gửi và theo dõi tiến độ.",
    composeTitle: "Soạn tin nóng",
    topicLabel: "Gửi cho bạn đọc theo dõi",
    platformLabel: "Nền tảng",
    textLabel: "Nội dung",
    textHint: (max) => `Tối đa ${max} ký tự. Dòng trống ngăn cách các đoạn.`,
    storyLabel: "Kèm bài viết (không bắt buộc)",
    noStory: "Không kèm bài",
    audienceHint: "Số người nhận được tính khi xem trước.",
    audienceCount: (n) => `Sẽ gửi cho ${n} bạn đọc`,
    audienceByPlatform: (parts) => `Theo nền tảng: ${parts}`,
    previewButton: "Xem trước",
    recentTitle: "Tin nóng gần đây",
    noBroadcasts: "Chưa có tin nóng nào.",
    column: {
      id: "Số",
      created: "Soạn lúc",
      author: "Người soạn",
      audience: "Người nhận",
      message: "Nội dung",
      state: "Trạng thái",
      sent: "Tin nhắn",
    },
    state: {
      draft: "Bản nháp",
      scheduled: "Hẹn giờ",
      sending: "Đang gửi",
      done: "Đã gửi xong",
      cancelled: "Đã dừng",
    },
    audience: (topic, platform) =>
      topic && platform
        ? `Bạn đọc ${platform} theo dõi «${topic}»`
        : topic
          ? `Bạn đọc theo dõi «${topic}»`
          : platform
            ? `Mọi bạn đọc ${platform}`
            : "Mọi bạn đọc",
    draftTitle: (id) => `Xem trước tin nóng #${id}`,
    sendingTitle: (id) => `Đang gửi tin nóng #${id}`,
    doneTitle: (id) => `Đã gửi xong tin nóng #${id}`,
    cancelledTitle: (id) => `Đã dừng tin nóng #${id}`,
    previewIntro: "Chưa gửi cho ai. Kiểm tra bản xem trước, rồi bấm Gửi.",
    previewTelegram: "Trên Telegram",
    previewZalo: "Trên Zalo",
    previewLanguage: "Mỗi bạn đọc nhận bản theo ngôn ngữ mình chọn. Xem bản:",
    photo: "🖼 Ảnh",
    story: "Bài kèm theo",
    createdBy: (author, time) => `Soạn bởi ${author} lúc ${time}`,
    startedAt: (time) => `Bắt đầu gửi lúc ${time}`,
    finishedAt: (time) => `Kết thúc lúc ${time}`,
    reachLabel: "Thời gian đến bạn đọc",
    reach: (platform, half, ninety, all) =>
      `${platform}: một nửa sau ${half}, 90% sau ${ninety}, tất cả sau ${all}`,
    seconds: (n) => (n === null ? "chưa xong" : `${String(n).replace(".", ",")} giây`),
    send: (n) => `Gửi cho ${n} bạn đọc`,
    sendConfirm: (n) => `Gửi tin nóng này cho ${n} bạn đọc ngay bây giờ?`,
    discard: "Bỏ bản nháp",
    discarded: (id) => `Đã bỏ tin nóng #${id}, chưa gửi cho ai.`,
    nobody: "Không có bạn đọc nào trong nhóm này, nên tin sẽ không đến được ai.",
    counts: ({ sent, blocked, failed, held, left }) =>
      `Đã gửi ${sent} · đã chặn bot ${blocked} · lỗi ${failed}${held ? ` · giữ lại ${held}` : ""} · còn lại ${left}`,
    progressLabel: "Tiến độ gửi",
    liveHint: "Trang tự cập nhật trong lúc gửi; tải lại trang nếu tiến độ không chạy.",
    stop: "Dừng gửi",
    stopConfirm: "Dừng gửi tin nóng này? Những tin đã gửi không thu hồi được.",
    stopped: (held) => `Đã dừng: ${held} tin nhắn chưa gửi được giữ lại.`,
    alreadyFinished: (id) => `Tin nóng #${id} đã gửi xong hoặc đã dừng rồi.`,
    noSuchBroadcast: (id) => `Không có tin nóng #${id}.`,
    problem: {
      empty: "Hãy viết nội dung hoặc chọn một bài để kèm theo.",
      tooLong: (max) => `Tin nóng dài tối đa ${max} ký tự.`,
      noStory: (id) => `Không có bài số ${id}.`,
      noTopic: (slug) => `Không có chủ đề «${slug}».`,
      badPlatform: (platform) => `Nền tảng phải là Telegram hoặc Zalo, không phải «${platform}».`,
      notDraft: (id) => `Tin nóng #${id} đã được gửi hoặc đã bỏ rồi.`,
      badLocale: (locale) => `Ngôn ngữ phải là tiếng Việt hoặc tiếng Anh, không phải «${locale}».`,
      badMode: (mode) =>
        `Cách nhận tin phải là bản tin hằng ngày hoặc ngay khi có, không phải «${mode}».`,
      badTime: (text) => `Không đọc được giờ gửi «${text}». Hãy chọn ngày và giờ.`,
      pastTime: (time) => `Giờ gửi ${time} đã qua. Hãy chọn một giờ sắp tới.`,
      badPhoto: (why, reason) =>
        why === "refused"
          ? "Không dùng được ảnh này: địa chỉ nằm trong mạng nội bộ nên bantin không được phép đọc."
          : why === "not-image"
            ? "Không dùng được ảnh này: địa chỉ đó không phải là một tấm ảnh."
            : why === "bad-url"
              ? "Không dùng được ảnh này: địa chỉ không hợp lệ (cần bắt đầu bằng https://)."
              : `Không tải được ảnh này (${reason}).`,
      notScheduled: (id) => `Tin nóng #${id} không còn chờ gửi nữa nên không sửa được.`,
      noEditorChat:
        "Chưa biên tập viên nào trò chuyện với bot. Hãy nhắn /start cho bot trước khi gửi thử.",
    },
    pageOf: (page, pages) => `Trang ${page}/${pages}`,
    previous: "← Mới hơn",
    next: "Cũ hơn →",
    desk: {
      topicsHint:
        "Chọn một hoặc nhiều chủ đề (giữ Ctrl hoặc ⌘ để chọn thêm); không chọn: mọi bạn đọc.",
      languageLabel: "Ngôn ngữ",
      allLanguages: "Mọi ngôn ngữ",
      language: { vi: "Tiếng Việt", en: "Tiếng Anh" },
      modeLabel: "Cách nhận tin",
      allModes: "Mọi cách nhận",
      mode: { digest: "Bản tin hằng ngày", instant: "Ngay khi có" },
      audienceMore: (language, mode) =>
        `${language ? ` · ${language}` : ""}${mode ? ` · nhận ${mode.toLowerCase()}` : ""}`,
      photoLabel: "Địa chỉ ảnh (không bắt buộc)",
      photoHint:
        "Tin được gửi dưới dạng ảnh kèm chú thích. Để trống: dùng ảnh của bài kèm theo, nếu có.",
      atLabel: "Hẹn giờ gửi (không bắt buộc)",
      atHint: (zone) => `Theo giờ ${zone}. Để trống: gửi ngay khi bấm Gửi.`,
      scheduledTitle: (id) => `Tin nóng #${id} đang chờ đến giờ gửi`,
      sendAtLabel: "Giờ gửi",
      schedule: (time, n) => `Hẹn gửi lúc ${time} cho ${n} bạn đọc`,
      scheduleConfirm: (time, n) => `Hẹn gửi tin nóng này lúc ${time} cho khoảng ${n} bạn đọc?`,
      scheduledNotice: (time) =>
        `Tin nóng này sẽ được gửi lúc ${time}. Trước giờ đó bạn vẫn có thể sửa hoặc hủy.`,
      changeTitle: "Sửa giờ gửi hoặc nội dung",
      textLabel: "Nội dung",
      save: "Lưu thay đổi",
      changed: "Đã lưu thay đổi.",
      cancel: "Hủy, không gửi",
      cancelConfirm: "Hủy tin nóng này? Nó sẽ không được gửi cho ai.",
      test: "Gửi thử cho biên tập viên",
      testHint:
        "Gửi đúng tin này chỉ tới cuộc trò chuyện riêng của các biên tập viên với bot; bạn đọc không nhận được.",
      tested: (chats) => `Đã gửi thử tới ${chats}. Bạn đọc chưa nhận được gì.`,
      endedAt: (done, time) => (done ? `Đã gửi xong lúc ${time}.` : `Đã dừng lúc ${time}.`),
    },
  },
  deliveries: {
    intro:
      "Tin nhắn bot gửi cho bạn đọc theo từng trạng thái, và những tin gửi hỏng kèm lý do. Tin gửi hỏng có thể gửi lại; tin cho bạn đọc đã chặn bot thì không bao giờ gửi lại.",
    countsTitle: "Tin nhắn theo nền tảng và trạng thái",
    platformColumn: "Nền tảng",
    state: {
      pending: "Đang chờ gửi",
      sent: "Đã gửi",
      blocked: "Bạn đọc đã chặn",
      dead: "Gửi hỏng",
      cancelled: "Đã hủy",
    },
    total: "Tổng",
    noMessages: "Chưa có tin nhắn nào.",
    deadTitle: "Tin nhắn gửi hỏng",
    deadCount: (n) => `${n} tin nhắn gửi hỏng, mới nhất trước.`,
    noDead: "Không có tin nhắn gửi hỏng nào.",
    emptyPage: "Trang này không còn dòng nào.",
    column: {
      id: "Mã",
      platform: "Nền tảng",
      kind: "Loại",
      reader: "Bạn đọc",
      attempts: "Số lần thử",
      error: "Lý do",
      lastTry: "Lần thử cuối",
      action: "Thao tác",
    },
    kind: {
      digest: "Bản tin hằng ngày",
      broadcast: "Tin nóng",
      instant: "Tin ngay khi có",
      reply: "Trả lời",
      alert: "Cảnh báo quản trị",
      notice: "Thông báo",
      withdraw: "Gỡ tin đã gửi",
      edit: "Sửa tin đã gửi",
    },
    readerGone: "(không còn)",
    retry: "Gửi lại",
    retryAll: "Gửi lại tất cả tin gửi hỏng",
    retryAllConfirm: (n) => `Gửi lại cả ${n} tin nhắn gửi hỏng?`,
    retried: (n) =>
      n === 0
        ? "Không có tin nhắn gửi hỏng nào để gửi lại."
        : `${n} tin nhắn được gửi lại: đã đưa vào hàng chờ gửi.`,
    noSuchMessage: (id) => `Không có tin nhắn #${id}.`,
    notDead: (id, state) =>
      `Tin nhắn #${id} không phải tin gửi hỏng (hiện: ${state}); chỉ gửi lại được tin gửi hỏng.`,
    pageOf: (page, pages) => `Trang ${page}/${pages}`,
    previous: "← Trang trước",
    next: "Trang sau →",
  },
  audit: {
    intro:
      "Mọi thay đổi của biên tập viên, từ khung chat, trang quản trị hay dòng lệnh: ai làm, làm gì, lúc nào. Mới nhất trước.",
    actorLabel: "Người làm",
    allActors: "Tất cả",
    actionLabel: "Thao tác",
    actionHint: "Đúng tên hoặc phần đầu: “broadcast” tìm cả broadcast.confirm.",
    sinceLabel: "Từ ngày",
    sinceHint: (zone) => `Tính từ 00:00 ngày đó (${zone}).`,
    filter: "Lọc",
    clear: "Bỏ lọc",
    column: { time: "Thời gian", actor: "Người làm", action: "Thao tác", details: "Chi tiết" },
    empty: "Nhật ký chưa có mục nào.",
    noMatch: "Không có mục nào khớp bộ lọc.",
    shown: (from, to, total) => `Mục ${from}–${to} trong ${total}`,
    badSince: "Ngày không hợp lệ. Hãy chọn một ngày theo dạng năm-tháng-ngày, ví dụ 2026-01-27.",
    badFilter:
      "Bộ lọc không hợp lệ: người làm và thao tác dài tối đa 100 ký tự, số trang là số nguyên từ 1.",
    pageOf: (page, pages) => `Trang ${page}/${pages}`,
    previous: "← Trang trước",
    next: "Trang sau →",
    say: {
      feedAdd: (id, url, topic, fullText) =>
        `Thêm nguồn tin ${id} ${url} vào chủ đề ${topic}${fullText ? " (lấy toàn văn)" : ""}`,
      feedCheck: (id, status, fresh, error) =>
        status === "failed" || status === "interrupted"
          ? `Kiểm tra nguồn tin ${id}: lỗi${error ? ` — ${error}` : ""}`
          : `Kiểm tra nguồn tin ${id}: ${fresh} tin mới`,
      feedChange: (action, id, url) =>
        `${{ "feed.pause": "Tạm dừng", "feed.resume": "Chạy lại", "feed.remove": "Gỡ" }[action]} nguồn tin ${id} ${url}`,
      topicAdd: (slug, vi, en) => `Thêm chủ đề ${slug}: ${vi} / ${en}`,
      topicRename: (slug, vi, en) => `Đổi tên chủ đề ${slug} thành ${vi} / ${en}`,
      topicMove: (slug, up) => `Đưa chủ đề ${slug} ${up ? "lên" : "xuống"} một bậc`,
      deliveryRetry: (ids, count) =>
        ids === "all"
          ? `Gửi lại mọi tin nhắn lỗi (${count} tin)`
          : `Gửi lại tin nhắn ${ids.join(", ")} (${count} tin)`,
      channelSave: (added, title, chatId, topics, mode, time) =>
        `${added ? "Thêm" : "Sửa"} kênh ${title} (${chatId}): ${topics}, ${mode === "digest" ? `bản tin lúc ${time ?? "?"}` : "tin ngay khi có"}`,
      channelRemove: (title, chatId) => `Ngừng đăng lên kênh ${title} (${chatId})`,
      broadcastPrepare: (id, audience, topic, platform, articleId) =>
        `Soạn tin nóng ${id} cho ${audience} người đọc${topic ? ` chủ đề ${topic}` : ""}${platform ? ` trên ${PLATFORM_NAMES[platform] ?? platform}` : ""}${articleId ? `, kèm bài ${articleId}` : ""}`,
      broadcastConfirm: (id, total) => `Gửi tin nóng ${id} tới ${total} người đọc`,
      broadcastCancel: (id, held) => `Dừng tin nóng ${id}; giữ lại ${held} tin chưa gửi`,
      broadcastSchedule: (id, sendAt) => `Hẹn giờ gửi tin nóng ${id} lúc ${sendAt}`,
      broadcastChange: (id, sendAt, text) =>
        `Sửa tin nóng ${id} đang chờ gửi:${sendAt ? ` giờ gửi mới ${sendAt}` : ""}${sendAt && text ? ";" : ""}${text ? " nội dung mới" : ""}`,
      broadcastTest: (id, chats) =>
        `Gửi thử tin nóng ${id} tới ${chats} cuộc trò chuyện của biên tập viên`,
      signIn: (withToken) =>
        `Đăng nhập trang quản trị ${withToken ? "bằng mã" : "bằng liên kết từ bot"}`,
      readerErase: (platform) =>
        `Một bạn đọc trên ${PLATFORM_NAMES[platform] ?? platform} đã xóa dữ liệu của mình`,
      topicRemove: (slug, name, told, feeds) =>
        `Gỡ chủ đề ${slug} (${name}); báo cho ${told} bạn đọc theo dõi${feeds.count === 0 ? "" : feeds.movedTo ? `; chuyển ${feeds.count} nguồn tin sang ${feeds.movedTo}` : `; gỡ luôn ${feeds.count} nguồn tin`}`,
      storyHide: (id, title, hidden) => `${hidden ? "Ẩn" : "Hiện lại"} bài ${id} “${title}”`,
      storyRetract: (id, title, reason, d) =>
        `Gỡ bài ${id} “${title}” vì: ${reason}. Telegram: xóa ${d.deleted} tin, sửa ${d.edited} tin, ${d.tooOld} tin quá 48 giờ để nguyên; Zalo: báo ${d.zaloNotices} người đọc`,
      storyRefresh: (id, title, edited, tooOld) =>
        `Cập nhật bài ${id} “${title}” trong ${edited} tin Telegram đã gửi (${tooOld} tin quá 48 giờ để nguyên)`,
      storyPin: (id, title, until) =>
        until
          ? `Ghim bài ${id} “${title}” lên đầu bản tin đến ${until}`
          : `Bỏ ghim bài ${id} “${title}”`,
    },
  },
  broadcastReport: broadcastReportVi,
};
