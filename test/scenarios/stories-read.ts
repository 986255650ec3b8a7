import type { Scenario } from "./types";

/**
 * Stories read like news: /start is one message (greeting naming the newsroom, then the topics to
 * pick), and a story's photos come first, each with its caption in order, then the story.
 */
const SEED = /Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người/;
const CAPTIONS = [
  /Quang cảnh hội nghị\./,
  /Đại biểu tỉnh Lào Cai dự hội nghị\./,
  /Đồng chí Lê Hải Bình/,
  /Đồng chí Nguyễn Văn Chương/,
];
/** Every caption, in order, before the headline, and the headline before the link. */
const PHOTOS_THEN_STORY = new RegExp(
  [...CAPTIONS, SEED, /Xem bài gốc/].map((r) => r.source).join("[\\s\\S]*"),
);

export const STORIES_READ: Scenario[] = [
  {
    name: "/start is one message: greeting with the newsroom's name, then the topics to pick",
    steps: [
      {
        say: "/start",
        // A line break, not a new message, between the greeting and the question.
        expect: [
          /Xin chào Lan! Tôi là bản tin của bantin: [^\n]+\nHãy chọn các chủ đề bạn muốn nhận tin:/,
          /Thời sự/,
        ],
      },
      { choose: /Văn hóa/, expect: [/Đã theo dõi: Văn hóa/] },
      { choose: /^Xong$/, expect: [/Đã lưu\. Bạn đang theo dõi: Văn hóa\./] },
    ],
  },
  {
    name: "a story's photos come first, captions in order, then the story with its time",
    steps: [
      { say: "tim doi ngoai", expect: [SEED, /\d\d:\d\d \d\d\/\d\d · Thời sự/] },
      { choose: /Đọc 1\b/, expect: [PHOTOS_THEN_STORY, /\d\d:\d\d \d\d\/\d\d · Thời sự/] },
    ],
  },
];
