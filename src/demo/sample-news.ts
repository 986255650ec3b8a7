import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "../db/schema";
import { storeArticle } from "../news/articles";
import { contentHash } from "../news/canonical";
import { extractTextPage } from "../news/extract";
import { upsertTopic } from "../news/topics";

/** A few topics and stories for the demo: no network, the seed article among them. */
export const SAMPLE_TOPICS = [
  { slug: "thoi-su", name: { vi: "Thời sự", en: "Current affairs" } },
  { slug: "kinh-te", name: { vi: "Kinh tế", en: "Economy" } },
  { slug: "xa-hoi", name: { vi: "Xã hội", en: "Society" } },
  { slug: "van-hoa", name: { vi: "Văn hóa", en: "Culture" } },
  { slug: "the-thao", name: { vi: "Thể thao", en: "Sport" } },
];

const SITE = "https://baolaocai.vn";

interface SampleStory {
  slug: string;
  topic: string;
  hoursAgo: number;
  title: string;
  lead: string;
  body: string[];
}

const STORIES: SampleStory[] = [
  {
    slug: "gia-lua-tang-nong-dan-phan-khoi-post480201",
    topic: "kinh-te",
    hoursAgo: 2,
    title: "Giá lúa tăng, nông dân Văn Bàn phấn khởi",
    lead: "Vụ mùa năm nay, giá lúa tại các xã vùng cao của Văn Bàn tăng khoảng 10% so với năm trước.",
    body: [
      "Nhiều hộ dân cho biết năng suất đạt trên 55 tạ/ha nhờ áp dụng giống mới và lịch thời vụ hợp lý.",
      "Chính quyền xã khuyến khích bà con liên kết với doanh nghiệp để bao tiêu sản phẩm.",
    ],
  },
  {
    slug: "sa-pa-don-khach-dip-cuoi-tuan-post480202",
    topic: "van-hoa",
    hoursAgo: 5,
    title: "Sa Pa đón hơn 30.000 lượt khách dịp cuối tuần",
    lead: "Thời tiết se lạnh cùng nhiều hoạt động văn hóa đặc sắc thu hút đông đảo du khách đến Sa Pa.",
    body: [
      "Chợ phiên, lễ hội xuống đồng và các điểm check-in trên đỉnh Fansipan là những nơi đông khách nhất.",
      "Ngành du lịch khuyến cáo du khách đặt phòng sớm và giữ gìn vệ sinh môi trường.",
    ],
  },
  {
    slug: "mua-lon-canh-bao-lu-quet-post480203",
    topic: "xa-hoi",
    hoursAgo: 1,
    title: "Cảnh báo mưa lớn, nguy cơ lũ quét và sạt lở đất ở vùng núi",
    lead: "Từ đêm nay đến hết ngày mai, khu vực vùng núi phía Bắc có mưa vừa, mưa to, có nơi mưa rất to.",
    body: [
      "Người dân cần theo dõi bản tin thời tiết, không đi qua ngầm tràn, suối khi nước lên.",
      "Các địa phương được yêu cầu rà soát, sơ tán hộ dân ở vùng có nguy cơ sạt lở.",
    ],
  },
  {
    slug: "giai-bong-da-thanh-nien-post480204",
    topic: "the-thao",
    hoursAgo: 8,
    title: "Khai mạc giải bóng đá thanh niên tỉnh năm 2026",
    lead: "16 đội bóng đến từ các xã, phường tranh tài tại sân vận động tỉnh trong 2 tuần.",
    body: ["Trận khai mạc diễn ra sôi nổi trước sự cổ vũ của hàng nghìn khán giả."],
  },
  {
    slug: "duong-cao-toc-thong-xe-post480205",
    topic: "thoi-su",
    hoursAgo: 3,
    title: "Đường nối cao tốc đến cửa khẩu Kim Thành thông xe",
    lead: "Tuyến đường dài 12 km rút ngắn một nửa thời gian vận chuyển hàng hóa đến cửa khẩu.",
    body: [
      "Công trình hoàn thành sớm hai tháng so với kế hoạch.",
      "Doanh nghiệp xuất nhập khẩu đánh giá tuyến đường giúp giảm đáng kể chi phí logistics.",
    ],
  },
];

/** src/demo/seed-article.txt, found from the package root (this code may run bundled in dist/). */
function seedArticlePath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, "src", "demo", "seed-article.txt");
}

/** Loads the demo topics and stories (idempotent: stories are stored once). */
export async function loadSampleNews(db: Db, now: Date): Promise<number> {
  const topics = new Map<string, number>();
  for (const [position, topic] of SAMPLE_TOPICS.entries()) {
    topics.set(topic.slug, (await upsertTopic(db, { ...topic, position })).id);
  }
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const seedText = readFileSync(seedArticlePath(), "utf8");
  const seed = extractTextPage(seedText);
  let stored = 0;
  if (seed) {
    await storeArticle(db, {
      url: `${SITE}/nang-cao-chat-luong-cong-tac-thong-tin-doi-ngoai-ve-quyen-con-nguoi-post370001.html`,
      contentHash: contentHash(seed),
      title: seed.title,
      lead: seed.lead,
      body: seed.body,
      photos: seed.photos.map((p) => ({
        url: `${SITE}/uploads/2023/12/08/${p.url}`,
        caption: p.caption,
      })),
      author: seed.author,
      fullText: true,
      publishedAt: hoursAgo(4),
      fetchedAt: now.toISOString(),
      topicId: topics.get("thoi-su") as number,
    });
    stored++;
  }
  for (const story of STORIES) {
    await storeArticle(db, {
      url: `${SITE}/${story.slug}.html`,
      contentHash: contentHash(story),
      title: story.title,
      lead: story.lead,
      body: story.body,
      photos: [],
      fullText: true,
      publishedAt: hoursAgo(story.hoursAgo),
      fetchedAt: now.toISOString(),
      topicId: topics.get(story.topic) as number,
    });
    stored++;
  }
  return stored;
}
