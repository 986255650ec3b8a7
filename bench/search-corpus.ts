/**
 * The search benchmark's stories: seeded, reproducible, read like a provincial newsroom's.
 */
import { seededRandom } from "../test/fakes/base/random";

// Stories that read like a provincial newsroom's (Lào Cai's): the province's name in most of
// them, "tỉnh" in nearly all, "hội nghị" in many, and a long tail of places, people and things.

const PLACES = [
  "Sa Pa",
  "Bát Xát",
  "Bảo Thắng",
  "Bảo Yên",
  "Văn Bàn",
  "Mường Khương",
  "Si Ma Cai",
  "Bắc Hà",
  "Yên Bái",
  "Lục Yên",
  "Mù Cang Chải",
  "Trạm Tấu",
  "Nghĩa Lộ",
  "Văn Yên",
  "Trấn Yên",
  "Cam Đường",
  "Kim Tân",
  "Cốc Lếu",
  "Bắc Cường",
  "Phố Lu",
];
const FAR_PLACES = [
  "Hà Nội",
  "Thành phố Hồ Chí Minh",
  "Đà Nẵng",
  "Hải Phòng",
  "Quảng Ninh",
  "Hà Giang",
  "Lai Châu",
  "Điện Biên",
  "Sơn La",
  "Tuyên Quang",
  "Vân Nam (Trung Quốc)",
  "Hà Khẩu",
];
const BODIES = [
  "UBND tỉnh",
  "Tỉnh ủy",
  "HĐND tỉnh",
  "Sở Y tế",
  "Sở Giáo dục và Đào tạo",
  "Sở Nông nghiệp và Môi trường",
  "Sở Tài chính",
  "Sở Văn hóa, Thể thao và Du lịch",
  "Công an tỉnh",
  "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
  "Ban Quản lý Khu kinh tế",
  "Ủy ban MTTQ Việt Nam tỉnh",
  "Tỉnh đoàn",
  "Hội Nông dân tỉnh",
  "Hội Liên hiệp Phụ nữ tỉnh",
  "Liên đoàn Lao động tỉnh",
  "Bệnh viện Đa khoa tỉnh",
  "Ngân hàng Chính sách xã hội",
];
const ACTIONS = [
  "tổ chức hội nghị tổng kết",
  "triển khai kế hoạch",
  "kiểm tra công tác",
  "trao quà hỗ trợ",
  "khởi công dự án",
  "phát động phong trào",
  "làm việc về",
  "ký kết chương trình phối hợp",
  "tập huấn",
  "sơ kết 6 tháng thực hiện",
  "đẩy mạnh",
  "rà soát",
  "giám sát việc thực hiện",
  "hội nghị triển khai",
  "tọa đàm về",
  "đối thoại về",
];
const SUBJECTS = [
  "phòng chống thiên tai",
  "xây dựng nông thôn mới",
  "chuyển đổi số",
  "giảm nghèo bền vững",
  "du lịch cộng đồng",
  "cải cách hành chính",
  "an toàn giao thông",
  "bảo vệ và phát triển rừng",
  "xuất nhập khẩu qua cửa khẩu",
  "giáo dục vùng cao",
  "y tế cơ sở",
  "công tác đối ngoại",
  "phòng cháy chữa cháy",
  "tiêm chủng mở rộng",
  "quản lý đất đai",
  "sắp xếp đơn vị hành chính",
  "phát triển kinh tế tập thể",
  "bảo tồn văn hóa dân tộc",
  "an ninh biên giới",
  "thu hút đầu tư",
  "hội nghị xúc tiến thương mại",
];
const THINGS = [
  "thảo quả",
  "chè Shan tuyết",
  "mận tam hoa",
  "cá hồi",
  "sâm Lai Châu",
  "lê Tai Nung",
  "chuối tiêu hồng",
  "quế",
  "dứa Mường Khương",
  "rượu ngô Bản Phố",
  "khèn Mông",
  "lễ hội Gầu Tào",
  "chợ phiên Cán Cấu",
  "ruộng bậc thang",
  "cầu Kim Thành",
  "cao tốc Nội Bài – Lào Cai",
  "đường sắt Lào Cai – Hà Nội – Hải Phòng",
  "sân bay Sa Pa",
  "đỉnh Fansipan",
  "mưa đá",
  "sạt lở đất",
  "lũ quét",
  "rét đậm, rét hại",
];
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vàng", "Giàng", "Lò", "Đặng", "Lù"];
const MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Seo", "A", "Thanh", "Quốc"];
const GIVEN = [
  "An",
  "Bình",
  "Chính",
  "Dũng",
  "Giang",
  "Hà",
  "Hùng",
  "Lan",
  "Mai",
  "Nam",
  "Phong",
  "Sính",
  "Sử",
  "Thắng",
  "Tuấn",
  "Vân",
];
const ROLES = [
  "Phó Chủ tịch UBND tỉnh",
  "Bí thư Tỉnh ủy",
  "Chủ tịch UBND huyện",
  "Giám đốc Sở",
  "Trưởng ban",
  "Bí thư Đảng ủy xã",
  "người dân thôn",
  "Đại tá",
];
/** Rare things: each in about one story in a thousand. */
const RARE = [
  "voọc mũi hếch",
  "kỷ lục Guinness",
  "thiên thạch",
  "cây di sản",
  "hoa tam giác mạch",
  "sơn dương",
];
const SYLLABLES = ["Nậm", "Pả", "Làng", "Bản", "Tả", "Sín", "Lùng", "Cốc", "Mản", "Phìn"];
const TAILS = ["Chải", "Phìn", "Xèo", "Sáng", "Thẳm", "Tẩn", "Pho", "Khâu", "Vai", "Hồ", "Mòn"];

export interface CorpusStory {
  title: string;
  lead: string;
  body: string[];
  publishedAt: string;
}

/**
 * Seeded stories, `count` of them published over three years before `end`, oldest first, made
 * one at a time (a million of them would not fit in memory at once).
 */
function* corpusStories(
  count: number,
  end = Date.parse("2026-03-01T00:00:00Z"),
): Generator<CorpusStory> {
  const random = seededRandom(20260301);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const chance = (p: number) => random() < p;
  const span = 3 * 365 * 86_400_000;
  const start = end - span;

  const person = () => `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
  const village = () => `thôn ${pick(SYLLABLES)} ${pick(TAILS)}`;
  const place = () => (chance(0.8) ? pick(PLACES) : pick(FAR_PLACES));
  const province = () => (chance(0.85) ? "tỉnh Lào Cai" : "tỉnh");
  const number = () => Math.floor(random() * 900) + 10;

  const sentence = (): string => {
    switch (Math.floor(random() * 8)) {
      case 0:
        return `Theo ${pick(BODIES)}, trong năm qua toàn ${province()} có ${number()} hộ được hỗ trợ ${pick(SUBJECTS)}.`;
      case 1:
        return `Ông ${person()}, ${pick(ROLES)}, cho biết ${place()} sẽ tiếp tục ${pick(ACTIONS)} ${pick(SUBJECTS)}.`;
      case 2:
        return `Tại hội nghị, các đại biểu đã thảo luận về ${pick(SUBJECTS)} và ${pick(THINGS)}.`;
      case 3:
        return `Người dân ${village()}, xã ${pick(PLACES)} phấn khởi vì ${pick(THINGS)} được mùa.`;
      case 4:
        return `Tổng kinh phí thực hiện hơn ${number()} tỷ đồng, trong đó ngân sách ${province()} chiếm ${number() % 90}%.`;
      case 5:
        return `Lào Cai phấn đấu đến năm ${2026 + Math.floor(random() * 5)} hoàn thành mục tiêu ${pick(SUBJECTS)}.`;
      case 6:
        return `${pick(BODIES)} đề nghị các địa phương ${pick(ACTIONS)} ${pick(SUBJECTS)}, nhất là ở ${place()}.`;
      default:
        return `Dịp này, ${pick(BODIES)} trao ${number()} suất quà cho bà con ${village()}.`;
    }
  };
  const title = (): string => {
    switch (Math.floor(random() * 7)) {
      case 0:
        return `${pick(BODIES)} ${pick(ACTIONS)} ${pick(SUBJECTS)}`;
      case 1:
        return `${place()}: ${pick(ACTIONS)} ${pick(SUBJECTS)}`;
      case 2:
        return `Lào Cai ${pick(ACTIONS)} ${pick(SUBJECTS)} năm ${2023 + Math.floor(random() * 4)}`;
      case 3:
        return `Hội nghị ${pick(SUBJECTS)} ${place()}`;
      case 4:
        return `${pick(THINGS)} ${place()} vào mùa`.replace(/^./, (c) => c.toUpperCase());
      case 5:
        return `Nhiều hoạt động ${pick(SUBJECTS)} tại ${village()}`;
      default:
        return `${person()}: người ${pick(ROLES).toLowerCase()} tận tụy với ${pick(SUBJECTS)}`;
    }
  };

  for (let i = 0; i < count; i++) {
    const at = start + ((i + random()) * span) / count;
    const paragraphs = 3 + Math.floor(random() * 4);
    const body = Array.from({ length: paragraphs }, () =>
      Array.from({ length: 2 + Math.floor(random() * 3) }, sentence).join(" "),
    );
    if (chance(0.006)) body.push(`Đặc biệt, người dân còn phát hiện ${pick(RARE)} ở ${village()}.`);
    yield {
      title: chance(0.001) ? `Phát hiện ${pick(RARE)} ở ${place()}` : title(),
      lead: `${sentence()} ${sentence()}`,
      body,
      publishedAt: new Date(Math.floor(at / 1000) * 1000).toISOString(),
    };
  }
}

export const CATEGORIES = ["thoi-su", "kinh-te", "xa-hoi", "van-hoa", "du-lich", "the-thao"];

/**
 * The stories (`i` is a story's place in publication order) in the order they are stored, as
 * feeds bring them: pages of 50, newest first on a page, and one in fifty a late arrival stored
 * after everything else, so ids do not follow publication times (newest first goes by the time
 * published). Only the late ones are held until the end.
 */
export function* ingestOrder(count: number): Generator<{ i: number; story: CorpusStory }> {
  const random = seededRandom(7);
  const stories = corpusStories(count);
  const late: { i: number; story: CorpusStory }[] = [];
  for (let start = 0; start < count; start += 50) {
    const page: CorpusStory[] = [];
    for (let i = start; i < Math.min(count, start + 50); i++) {
      page.push(stories.next().value as CorpusStory);
    }
    for (let i = Math.min(count, start + 50) - 1; i >= start; i--) {
      const item = { i, story: page[i - start] as CorpusStory };
      if (random() < 0.02) late.push(item);
      else yield item;
    }
  }
  yield* late;
}
