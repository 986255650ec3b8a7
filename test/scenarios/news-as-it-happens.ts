import { expect } from "vitest";
import type { Scenario, Step } from "./types";

/** News as it happens: a topic's delivery mode, keyword alerts, quiet hours. */

/** Follows enough words to reach the limit of 10. */
const TEN_FOLLOWS: Step[] = Array.from({ length: 10 }, (_, i) => ({
  say: `/theodoi từ khóa ${i + 1}`,
  expect: [new RegExp(`Đã theo dõi “từ khóa ${i + 1}” \\(${i + 1}/10\\)`)],
}));

export const NEWS_AS_IT_HAPPENS: Scenario[] = [
  {
    name: "a topic's delivery mode, chosen from the topics screen",
    steps: [
      { say: "/chude", expect: [/Chủ đề của bạn/, /Cách nhận tin/] },
      { choose: /Thời sự/, expect: [/Đã theo dõi: Thời sự/] },
      {
        choose: /Cách nhận tin/,
        expect: [/Cách nhận tin theo chủ đề/, /Thời sự: 📰 Bản tin hằng ngày/],
      },
      {
        choose: /Thời sự/,
        expect: [/Thời sự: bạn muốn nhận tin thế nào\?/, /✅ 📰 Bản tin hằng ngày/, /Cả hai/],
      },
      { choose: /Ngay khi có tin/, expect: [/Thời sự: ⚡ Ngay khi có tin/] },
      { choose: /Thời sự/, expect: [/✅ ⚡ Ngay khi có tin/] },
      { choose: /Cả hai/, expect: [/Thời sự: 📰⚡ Cả hai/] },
      { choose: /Xong/, expect: [/Đã lưu\. Bạn đang theo dõi: Thời sự\./] },
      { say: "/chude", expect: [/✅ Thời sự 📰⚡/] },
    ],
  },
  {
    name: "the modes screen with no topic says to pick topics first",
    steps: [
      { say: "/chude" },
      { choose: /Cách nhận tin/, expect: [/Bạn chưa theo dõi chủ đề nào\. Hãy chọn chủ đề trước/] },
    ],
  },
  {
    name: "keyword alerts: follow, list, refuse a repeat, unfollow by number or words",
    steps: [
      { say: "/theodoi", expect: [/Bạn chưa theo dõi từ khóa nào/, /\/theodoi bão lũ/] },
      { say: "/theodoi bão lũ", expect: [/Đã theo dõi “bão lũ” \(1\/10\)/] },
      { say: "theo dõi Bão  LŨ", expect: [/Bạn đã theo dõi “bão lũ” rồi/] },
      { say: "/follow giá vàng", expect: [/Đã theo dõi “giá vàng” \(2\/10\)/] },
      { say: "/theodoi", expect: [/Từ khóa bạn theo dõi/, /1\. bão lũ/, /2\. giá vàng/] },
      { say: "/botheodoi 1", expect: [/Đã bỏ theo dõi “bão lũ”/] },
      { say: "bỏ theo dõi gia vang", expect: [/Đã bỏ theo dõi “giá vàng”/] },
      { say: "/unfollow 5", expect: [/Bạn không theo dõi “5”/] },
      { say: "/botheodoi", expect: [/Gõ \/botheodoi và số/, /Bạn chưa theo dõi từ khóa nào/] },
    ],
  },
  {
    name: "keyword alerts: at most 10, the 11th is refused",
    steps: [
      ...TEN_FOLLOWS,
      { say: "/theodoi từ khóa 11", expect: [/Bạn đã theo dõi đủ 10 từ khóa/] },
      { say: "/theodoi", expect: [/10\. từ khóa 10/], not: [/từ khóa 11/] },
    ],
  },
  {
    name: "keyword alerts: hostile text is plain words or a clear refusal",
    steps: [
      { say: "/theodoi ***", expect: [/“\*\*\*” không có chữ hay số nào để theo dõi/] },
      // What cannot be seen is not typed at all: the list (empty) and how to follow.
      { say: "/theodoi \u200b\u200b", expect: [/Bạn chưa theo dõi từ khóa nào/] },
      { say: "/theodoi 😀🔥", expect: [/không có chữ hay số nào để theo dõi/] },
      { say: `/theodoi ${"a".repeat(500)}`, expect: [/Từ khóa dài tối đa 100 ký tự/] },
      { say: '/theodoi "bão" OR (lũ* NEAR', expect: [/Đã theo dõi “"bão" OR \(lũ\* NEAR”/] },
      { say: "/theodoi .*[a-z]+$ <b>", expect: [/Đã theo dõi “\.\*\[a-z\]\+\$ <b>”/] },
      { say: "/theodoi", expect: [/1\. "bão" OR \(lũ\* NEAR/, /2\. \.\*\[a-z\]\+\$ <b>/] },
      { say: '/botheodoi "BAO" or (lu NEAR*', expect: [/Đã bỏ theo dõi “"bão" OR/] },
    ],
  },
  {
    name: "quiet hours: tell, set, refuse nonsense, turn off",
    steps: [
      { say: "/yenlang", expect: [/Giờ yên lặng: 22:00–06:00/, /\/yenlang tat/] },
      { say: "/yenlang 23:00-05:30", expect: [/Đã đặt giờ yên lặng 23:00–05:30/] },
      { check: (r) => expect([r?.quietFrom, r?.quietUntil]).toEqual(["23:00", "05:30"]) },
      { say: "/yenlang 25:00-06:00", expect: [/“25:00-06:00” không phải khoảng giờ hợp lệ/] },
      { say: "/quiet tat", expect: [/Đã tắt giờ yên lặng/] },
      { say: "/yenlang", expect: [/Giờ yên lặng đang tắt/] },
      { say: "yên lặng 22h-6h", expect: [/Đã đặt giờ yên lặng 22:00–06:00/] },
      { check: (r) => expect([r?.quietFrom, r?.quietUntil]).toEqual(["22:00", "06:00"]) },
    ],
  },
];
