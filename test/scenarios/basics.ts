import { expect } from "vitest";
import type { Scenario } from "./types";

/** The everyday chat: onboarding, lists, search, reading, settings, help. */
const SEED = /Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người/;

export const BASICS: Scenario[] = [
  {
    name: "onboarding: start, pick topics, done",
    steps: [
      { say: "/start", expect: [/Xin chào/, /Hãy chọn các chủ đề/, /Thời sự/] },
      { choose: /Thời sự/, expect: [/Đã theo dõi: Thời sự/] },
      { choose: /Xã hội/, expect: [/Đã theo dõi: Xã hội/] },
      { choose: /^Xong$/, expect: [/Đã lưu\. Bạn đang theo dõi: Thời sự, Xã hội\./] },
      { check: (r) => expect(r?.status).toBe("active") },
    ],
  },
  {
    name: "latest stories, then read one",
    steps: [
      { say: "/moi", expect: [/Tin mới nhất/, /Cảnh báo mưa lớn/] },
      { choose: /Đọc 2\b/, expect: [/Người dân cần theo dõi bản tin thời tiết/, /Xem bài gốc/] },
    ],
  },
  {
    name: "search without accents, then read the story",
    steps: [
      { say: "tim doi ngoai", expect: [/Kết quả tìm “doi ngoai”/, SEED] },
      {
        choose: /Đọc 1\b/,
        expect: [SEED, /Hội nghị có sự tham gia của 280 đại biểu/, /Quang cảnh hội nghị\./],
      },
      { say: "/tim", expect: [/Bạn muốn tìm gì\?/] },
      {
        say: "/tim khủng long bạo chúa",
        expect: [/Không tìm thấy tin nào/, /Thử từ khóa ngắn hơn/],
      },
    ],
  },
  {
    name: "digest time: set, refuse nonsense, turn off",
    steps: [
      { say: "/gio 06:30", expect: [/bản tin đến lúc 06:30 mỗi ngày/] },
      { check: (r) => expect(r?.digestTime).toBe("06:30") },
      { say: "giờ 25:00", not: [/bản tin đến lúc/] },
      { say: "/gio 25:00", expect: [/“25:00” không phải giờ hợp lệ/] },
      { say: "/gio tat", expect: [/Đã tắt bản tin hằng ngày/] },
      { check: (r) => expect(r?.digestEnabled).toBe(false) },
    ],
  },
  {
    name: "my digest now",
    steps: [
      { say: "/start topic_kinh-te", expect: [/Đã theo dõi: Kinh tế/] },
      { say: "bản tin", expect: [/Bản tin của bạn/, /Giá lúa tăng/], not: [SEED] },
    ],
  },
  {
    name: "stop with confirmation, and come back",
    steps: [
      { say: "/start" },
      { say: "/huy", expect: [/Bạn có chắc muốn dừng/] },
      { choose: /Có, dừng/, expect: [/Đã dừng/] },
      { check: (r) => expect(r?.status).toBe("stopped") },
      { say: "/start", expect: [/Chào mừng .*quay lại/] },
      { check: (r) => expect(r?.status).toBe("active") },
    ],
  },
  {
    name: "English, then back to Vietnamese",
    steps: [
      { say: "/lang en", expect: [/^Switched to English\.$/] },
      { say: "/help", expect: [/\/search <words>/] },
      { say: "/latest", expect: [/Latest stories/] },
      { say: "/lang vi", expect: [/Đã chuyển sang tiếng Việt/] },
    ],
  },
  {
    name: "unknown commands and missing stories get a clear answer",
    steps: [
      { say: "/xyz", expect: [/Tôi chưa hiểu lệnh \/xyz/] },
      { say: "/doc_987654", expect: [/Không tìm thấy bài số 987654/] },
      { say: "trợ giúp", expect: [/\/tim <từ khóa>/] },
    ],
  },
];
