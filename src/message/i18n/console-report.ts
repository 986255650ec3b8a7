/**
 * What the console's reach report of one broadcast says (pages/broadcast-report.ts), in both
 * languages; kept apart so the console's main catalogues stay readable.
 */

/** One broadcast's reach report: what it says. */
export interface BroadcastReportText {
  title(id: number): string;
  /** The link to it from the broadcast's page. */
  link: string;
  intro(hours: string): string;
  notStarted: string;
  nobody: string;
  column: {
    platform: string;
    readers: string;
    sent: string;
    blocked: string;
    failed: string;
    waiting: string;
    to50: string;
    to90: string;
    to100: string;
    opens(hours: string): string;
  };
  allPlatforms: string;
  /** A time to reach not reached yet, or its seconds. */
  seconds(n: number | null): string;
  /** No story attached: no button, no opens. */
  noStory: string;
  opensNote: string;
  back: string;
}

export const broadcastReportVi: BroadcastReportText = {
  title: (id) => `Mức lan tỏa của tin nóng #${id}`,
  link: "Báo cáo lan tỏa",
  intro: (hours) =>
    `Mỗi nền tảng đã gửi đến bao nhiêu bạn đọc, nhanh đến đâu, và bao nhiêu lượt mở bài kèm theo qua nút của nó trong ${hours} giờ sau khi gửi.`,
  notStarted: "Tin chưa được gửi nên chưa có gì để báo cáo.",
  nobody: "Tin này không có bạn đọc nào nhận.",
  column: {
    platform: "Nền tảng",
    readers: "Bạn đọc",
    sent: "Đã gửi",
    blocked: "Đã chặn bot",
    failed: "Lỗi",
    waiting: "Đang chờ",
    to50: "Đạt 50% sau",
    to90: "Đạt 90% sau",
    to100: "Đạt 100% sau",
    opens: (hours) => `Lượt mở trong ${hours} giờ`,
  },
  allPlatforms: "Mọi nền tảng",
  seconds: (n) => (n === null ? "chưa xong" : `${String(n).replace(".", ",")} giây`),
  noStory: "Tin không kèm bài nên không có lượt mở để đếm.",
  opensNote:
    "Chỉ đếm số lượt mở, không lưu ai đã mở: một bạn đọc mở bài hai lần được tính hai lượt. Trên Zalo, lượt mở được tính khi bạn đọc gõ số của bài lúc đó vẫn là lựa chọn cuối cùng được đưa ra.",
  back: "Quay lại tin nóng",
};

export const broadcastReportEn: BroadcastReportText = {
  title: (id) => `Reach of breaking news #${id}`,
  link: "Reach report",
  intro: (hours) =>
    `How many readers each platform reached, how fast, and how many opened the attached story through its button within ${hours} hours of sending.`,
  notStarted: "Not sent yet: there is nothing to report.",
  nobody: "It was written for no reader.",
  column: {
    platform: "Platform",
    readers: "Readers",
    sent: "Sent",
    blocked: "Blocked the bot",
    failed: "Failed",
    waiting: "Waiting",
    to50: "50% after",
    to90: "90% after",
    to100: "100% after",
    opens: (hours) => `Opened within ${hours} h`,
  },
  allPlatforms: "All platforms",
  seconds: (n) => (n === null ? "not yet" : `${n} s`),
  noStory: "No story was attached, so there are no opens to count.",
  opensNote:
    "Opens are counted, not who opened: a reader who opens the story twice counts twice. On Zalo an open counts when the reader types the story's number while it is still the last choice offered.",
  back: "Back to the breaking news",
};
