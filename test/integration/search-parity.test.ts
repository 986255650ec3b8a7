import { beforeAll, expect, it } from "vitest";
import type { DbHandle } from "../../src/db/schema";
import { type ArticleInput, storeArticle } from "../../src/news/articles";
import { searchArticles } from "../../src/news/search";
import { addTopic } from "../../src/news/topics";
import { describeStores } from "../helpers/stores";

/**
 * One table of stories and queries, run on every store: the same stories come back in the same
 * order from SQLite (FTS5) and PostgreSQL (tsvectors under GIN). Every word must appear. Tiers,
 * best first: the words as typed, one after the other, in the headline (two words or more);
 * every word in the headline; every word in the lead; the rest (body, captions or words spread
 * over the parts). Newest first within each tier, the later stored first on a tie.
 */
type Story = Pick<ArticleInput, "title" | "lead" | "body" | "publishedAt"> & {
  captions?: string[];
};

const filler = Array.from({ length: 2500 }, () => "lời lời của một bài rất dài").join(" ");

const STORIES: Record<string, Story> = {
  s1: {
    title: "Đối ngoại nhân dân: cầu nối hữu nghị",
    lead: "Giao lưu giữa các tỉnh biên giới.",
    body: ["Hợp tác nhiều mặt."],
    publishedAt: "2026-01-10T00:00:00.000Z",
  },
  s2: {
    title: "Hợp tác kinh tế vùng",
    lead: "Thông tin đối ngoại được nhắc tới nhiều lần.",
    body: ["Các doanh nghiệp ký kết."],
    publishedAt: "2026-01-12T00:00:00.000Z",
  },
  s3: {
    title: "Giá vàng hôm nay",
    lead: "Thị trường ổn định.",
    body: ["Giá tăng nhẹ.", "Công tác đối ngoại cũng được bàn đến."],
    publishedAt: "2026-01-15T00:00:00.000Z",
  },
  // The same time as s1: stored later, so listed first.
  s4: {
    title: "ĐỐI NGOẠI và quốc phòng",
    lead: "",
    body: [],
    publishedAt: "2026-01-10T00:00:00.000Z",
  },
  // "đội" and "Ngoại" fold to the words of "đối ngoại": a headline match, in any order.
  s5: {
    title: "Ngoại hạng Anh: đội đầu bảng thắng đậm",
    lead: "Vòng 20.",
    body: ["Trận đấu kịch tính."],
    publishedAt: "2026-01-11T00:00:00.000Z",
  },
  // One word in the headline, the other in the lead: every word is there, in no one part.
  s6: {
    title: "Đối thoại với cử tri",
    lead: "Ý kiến về chính sách ngoại thương.",
    body: ["Nhiều câu hỏi."],
    publishedAt: "2026-01-16T00:00:00.000Z",
  },
  // Only a photo caption has the words.
  s7: {
    title: "Lễ đón đoàn khách quốc tế",
    lead: "Sân bay Nội Bài.",
    body: ["Đoàn đến lúc 9 giờ."],
    captions: ["Cán bộ làm công tác đối ngoại tại sân bay."],
    publishedAt: "2026-01-09T00:00:00.000Z",
  },
  // Stored in NFD with format characters inside words.
  s8: {
    title: "Hà N\u200Dội mở rộng đường vành đai".normalize("NFD"),
    lead: "Công t\u00ADác giải phóng mặt bằng.",
    body: ["Qua quận Hoàng M\u200Cai."],
    publishedAt: "2026-01-08T00:00:00.000Z",
  },
  s9: {
    title: "Covid-19 và vắc-xin mùa đông",
    lead: "Bộ Y tế khuyến cáo.",
    body: ["Tiêm nhắc lại."],
    publishedAt: "2026-01-07T00:00:00.000Z",
  },
  s10: {
    title: "Kinh tế tăng trưởng 7,5% trong năm 2025",
    lead: "Số liệu của Tổng cục Thống kê.",
    body: ["Xuất khẩu đạt 400 tỷ USD."],
    publishedAt: "2026-01-06T00:00:00.000Z",
  },
  // A different word from "Hà Nội": no prefix matches.
  s11: {
    title: "Hanoi Marathon thu hút vận động viên",
    lead: "",
    body: ["Giải chạy quốc tế."],
    publishedAt: "2026-01-05T00:00:00.000Z",
  },
  // The only rare word sits at the end of a very long body.
  s12: {
    title: "Một bài rất dài",
    lead: "Để thử chỉ mục.",
    body: [filler, "Kết thúc bằng từ hiếm zyxwv."],
    publishedAt: "2026-01-04T00:00:00.000Z",
  },
  s13: {
    title: "🎉 Lễ hội pháo hoa Đà Nẵng",
    lead: "O'Brien và các đội bạn.",
    body: ["Đêm chung kết."],
    publishedAt: "2026-01-03T00:00:00.000Z",
  },
  // For the tiers of "cửa khẩu" (stored in this order, so ids do not follow the times): the
  // phrase in the headline (r7, r5, r1), both words in the headline (r2, r9), in the lead (r3,
  // r10), spread or in the body (r6, r4, and s10: "của" in its lead, "khẩu" in its body).
  r4: {
    title: "Mùa mận chín",
    lead: "Vườn mận trĩu quả.",
    body: ["Thương lái đến tận cửa khẩu thu mua."],
    publishedAt: "2026-02-07T00:00:00.000Z",
  },
  r1: {
    title: "Cửa khẩu Kim Thành thông quan sớm",
    lead: "Hàng hóa qua lại thuận lợi.",
    body: ["Xe chờ ít hơn mọi khi."],
    publishedAt: "2026-02-01T00:00:00.000Z",
  },
  // Both words in the headline, apart; the phrase only in the lead: a headline match.
  r9: {
    title: "Cửa ngõ và khẩu phần",
    lead: "Cửa khẩu cũng được nhắc.",
    body: ["Bữa trưa."],
    publishedAt: "2026-02-02T00:00:00.000Z",
  },
  // Newer than every phrase match, yet after them.
  r2: {
    title: "Khẩu hiệu mới treo ở cửa hàng",
    lead: "Phố đi bộ thêm vui.",
    body: ["Khách tham quan đông."],
    publishedAt: "2026-02-05T00:00:00.000Z",
  },
  r5: {
    title: "Cửa khẩu Lào Cai đón khách",
    lead: "Du khách tăng.",
    body: ["Thủ tục nhanh gọn."],
    publishedAt: "2026-02-03T08:00:00.000Z",
  },
  r10: {
    title: "Thời tiết vùng biên",
    lead: "Sương mù ở cửa khẩu sáng nay.",
    body: ["Trời lạnh."],
    publishedAt: "2026-01-30T00:00:00.000Z",
  },
  r3: {
    title: "Giao thương sôi động",
    lead: "Xe qua cửa khẩu tăng mạnh.",
    body: ["Thương nhân phấn khởi."],
    publishedAt: "2026-02-06T00:00:00.000Z",
  },
  // The same time as r5, stored later: listed before it.
  r7: {
    title: "Qua cửa khẩu bằng thẻ điện tử",
    lead: "Thí điểm từ tháng này.",
    body: [],
    publishedAt: "2026-02-03T08:00:00.000Z",
  },
  // "cửa" in the headline, "khẩu" in the lead: every word is there, in no one part.
  r6: {
    title: "Cửa sổ nhìn ra núi",
    lead: "Khẩu vị món ăn vùng cao.",
    body: ["Sa Pa mù sương."],
    publishedAt: "2026-02-08T00:00:00.000Z",
  },
};

// The phrase "đối ngoại" heads s4 and s1 (the same time: s4, stored later, first); s5 has both
// words in its headline but not as the phrase, though it is newer.
const DOI_NGOAI = ["s4", "s1", "s5", "s2", "s6", "s3", "s7"];
// Typed the other way round, no headline has the phrase: every headline with both words, newest
// first.
const NGOAI_DOI = ["s5", "s4", "s1", "s2", "s6", "s3", "s7"];

const QUERIES: { query: string; expect: string[]; limit?: number; offset?: number }[] = [
  { query: "doi ngoai", expect: DOI_NGOAI },
  { query: "đối ngoại", expect: DOI_NGOAI },
  { query: "NGOẠI  đối!", expect: NGOAI_DOI },
  { query: "doi ngoai", limit: 3, offset: 2, expect: ["s5", "s2", "s6"] },
  { query: "doi ngoai", limit: 3, offset: 6, expect: ["s7"] },
  { query: "doi ngoai", limit: 3, offset: 7, expect: [] },
  // Words the headline has all of, and words that need the lead or the body too.
  { query: "doi ngoai huu nghi", expect: ["s1"] },
  { query: "hop tac", expect: ["s2", "s1"] },
  { query: "cong tac", expect: ["s8", "s3", "s7"] },
  { query: "doi", expect: ["s6", "s5", "s4", "s1", "s2", "s13", "s3", "s7"] },
  { query: "ha noi", expect: ["s8"] },
  { query: "Hà Nội vành đai", expect: ["s8"] },
  { query: "hoang mai", expect: ["s8"] },
  { query: "hanoi", expect: ["s11"] },
  { query: "han", expect: [] },
  { query: "covid 19", expect: ["s9"] },
  { query: "vac xin", expect: ["s9"] },
  { query: "2025", expect: ["s10"] },
  { query: "7 5", expect: ["s10"] },
  { query: "zyxwv", expect: ["s12"] },
  { query: "bai rat dai", expect: ["s12"] },
  { query: "le hoi da nang", expect: ["s13"] },
  { query: "o brien", expect: ["s13"] },
  { query: "khung long", expect: [] },
  // Tiers: phrase in the headline, headline, lead, anywhere; newest first in each.
  { query: "cua khau", expect: ["r7", "r5", "r1", "r2", "r9", "r3", "r10", "r6", "r4", "s10"] },
  { query: "Cửa khẩu", expect: ["r7", "r5", "r1", "r2", "r9", "r3", "r10", "r6", "r4", "s10"] },
  // Pages across the tiers.
  { query: "cua khau", limit: 1, expect: ["r7"] },
  { query: "cua khau", limit: 2, offset: 2, expect: ["r1", "r2"] },
  { query: "cua khau", limit: 3, offset: 4, expect: ["r9", "r3", "r10"] },
  { query: "cua khau", limit: 5, offset: 8, expect: ["r4", "s10"] },
  { query: "cua khau", limit: 5, offset: 10, expect: [] },
  // The other way round there is no phrase: every headline with both words, newest first.
  { query: "khau cua", expect: ["r2", "r7", "r5", "r9", "r1", "r3", "r10", "r6", "r4", "s10"] },
  // One word: headline, lead, body.
  { query: "khau", expect: ["r2", "r7", "r5", "r9", "r1", "r6", "r3", "r10", "r4", "s10"] },
  { query: "cua khau kim thanh", expect: ["r1"] },
  { query: "kim thanh cua khau", expect: ["r1"] },
  { query: "lao cai", expect: ["r5"] },
  // Query syntax of either engine is only words here.
  { query: "!doi & ngoai:*", expect: DOI_NGOAI },
  { query: "doi | ngoai", expect: DOI_NGOAI },
  { query: "'doi' <-> (ngoai)", expect: DOI_NGOAI },
  { query: '"doi" NEAR ngoai*', expect: [] },
  { query: "title:doi", expect: [] },
  { query: "\\'; --", expect: [] },
  { query: "   ", expect: [] },
];

describeStores("search parity", (store) => {
  let db: DbHandle;
  const ids = new Map<number, string>();

  beforeAll(async () => {
    db = await store.db();
    const topicId = (await addTopic(db, { slug: "thoi-su", name: { vi: "Thời sự", en: "News" } }))
      .id;
    for (const [key, story] of Object.entries(STORIES)) {
      const { id } = await storeArticle(db, {
        url: `https://example.vn/${key}.html`,
        contentHash: key,
        title: story.title,
        lead: story.lead,
        body: story.body,
        photos: (story.captions ?? []).map((caption, i) => ({
          url: `https://example.vn/${key}-${i}.jpg`,
          caption,
        })),
        fullText: true,
        publishedAt: story.publishedAt,
        fetchedAt: "2026-01-20T00:00:00.000Z",
        topicId: topicId,
      });
      ids.set(id, key);
    }
  });

  it.each(QUERIES)("$query (limit $limit, offset $offset)", async (q) => {
    const found = await searchArticles(db, q.query, { limit: q.limit ?? 50, offset: q.offset });
    expect(found.map((a) => ids.get(a.id))).toEqual(q.expect);
  });
});
