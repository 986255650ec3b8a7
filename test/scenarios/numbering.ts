import type { Scenario } from "./types";

/**
 * One numbering rule on every platform: a list shows 1…N, and "/doc N", "/read N", "đọc N" and
 * a bare number open item N of the last list shown in the chat, never the story whose id is N.
 * A story's own id has its own form, "/doc_1234" (and the deep link "/start doc_1234").
 *
 * "/moi" over the test news lists, newest first: 1 the tricky headline, 2 "Cảnh báo mưa lớn"
 * (id 4), 3 "Giá lúa tăng" (id 2), 4 "Đường nối cao tốc", 5 the seed story; page 2: 6 "Sa Pa",
 * 7 "Khai mạc giải bóng đá", 8 "Mùa vàng". Story id 2 is "Giá lúa tăng".
 */
const RAIN = /Người dân cần theo dõi bản tin thời tiết/;
const RICE = /năng suất đạt trên 55 tạ\/ha/;
const ROAD = /Công trình hoàn thành sớm hai tháng/;
const SAPA = /Chợ phiên, lễ hội xuống đồng/;
const FOOTBALL = /Trận khai mạc diễn ra sôi nổi/;

export const NUMBERING: Scenario[] = [
  {
    name: "numbering: /doc 2 opens the second story listed, not story id 2",
    steps: [
      { say: "/moi", expect: [/1\. /, /2\. Cảnh báo mưa lớn/, /3\. Giá lúa tăng/] },
      { say: "/doc 2", expect: [RAIN], not: [RICE] },
      { say: "đọc 3", expect: [RICE], not: [RAIN] },
      { say: "doc 2", expect: [RAIN] },
      { say: "/read 4", expect: [ROAD] },
      { say: "Đọc 3", expect: [RICE] },
    ],
  },
  {
    name: "numbering: a bare number opens item N of the last list",
    steps: [
      { say: "tim mua lon", expect: [/Kết quả tìm/, /1\. Cảnh báo mưa lớn/] },
      { say: "1", expect: [RAIN] },
      // Reading a story shows no list: the numbers still mean the search's list.
      { say: "đọc 1", expect: [RAIN] },
    ],
  },
  {
    name: "numbering: page 2 goes on from 6, and numbers follow it",
    steps: [
      { say: "/moi", expect: [/5\. /] },
      { choose: /Sau ›/, expect: [/6\. Sa Pa/, /7\. Khai mạc/, /8\. Mùa vàng/] },
      { say: "7", expect: [FOOTBALL] },
      { say: "đọc 6", expect: [SAPA] },
      { say: "/doc 2", expect: [/Danh sách gần nhất có 3 tin \(số 6–8\); không có tin số 2\./] },
      { choose: /Trước/, expect: [/1\. /, /5\. /], not: [/6\. Sa Pa/] },
      { say: "/doc 2", expect: [RAIN] },
    ],
  },
  {
    name: "numbering: a story's own id is /doc_<id>, and the deep link /start doc_<id>",
    steps: [
      { say: "/doc_2", expect: [RICE] },
      { say: "/read_2", expect: [RICE] },
      { say: "/start doc_2", expect: [RICE], not: [/Xin chào/] },
      { say: "/moi", expect: [/\/doc_2\b/, /\/doc_4\b/] },
      { say: "/doc_987654321", expect: [/Không tìm thấy bài số 987654321/] },
    ],
  },
  {
    name: "numbering: no list yet, out of range and bad input get a clear answer",
    steps: [
      {
        say: "/doc 3",
        expect: [/Chưa có danh sách tin nào ở đây\. Gõ \/moi hoặc \/tim <từ khóa>/],
      },
      { say: "3", expect: [/Chưa có danh sách/] },
      { say: "/moi tinh-khong-co", expect: [/Không có chủ đề/] },
      { say: "/moi", expect: [/Tin mới nhất/] },
      { say: "/doc 9", expect: [/Danh sách gần nhất có 5 tin \(số 1–5\); không có tin số 9\./] },
      { say: "/doc 0", expect: [/không có tin số 0\./] },
      { say: "/doc abc", expect: [/Gõ \/doc và số thứ tự của tin/] },
      { say: "/doc 2 3", expect: [/Gõ \/doc và số thứ tự của tin/] },
      { say: `/doc ${"9".repeat(300)}`, expect: [/Gõ \/doc và số thứ tự của tin/] },
      { say: "/doc ２", expect: [/Gõ \/doc và số thứ tự của tin/] },
      { say: "/doc_abc", expect: [/Tôi chưa hiểu lệnh \/doc_abc/] },
      // After all that the list is still the one shown.
      { say: "/doc 2", expect: [RAIN] },
    ],
  },
  {
    name: "numbering: the help says what /doc <number> means",
    steps: [
      { say: "/trogiup", expect: [/\/doc <số> — đọc trọn tin số đó của danh sách vừa xem/] },
      { say: "/lang en" },
      { say: "/help", expect: [/\/read <number> — read that story of the list you just saw/] },
      { say: "/read 1", expect: [/No list here yet\. Send \/latest/] },
      { say: "/lang vi" },
    ],
  },
];
