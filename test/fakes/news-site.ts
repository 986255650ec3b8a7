/**
 * A fake Vietnamese provincial newspaper (shaped like baolaocai.vn and its CMS family) on
 * node:http at 127.0.0.1 and a random port: RSS 2.0, Atom and JSON feeds, article pages with
 * page furniture, conditional GET, and per-path failure modes for the unhappy paths.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TextDecoder } from "node:util";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { foldAccents } from "../../src/text/fold";
import { escapeHtml, escapeHtmlAttribute } from "../../src/text/html";

export const CATEGORY_SLUGS = ["thoi-su", "kinh-te", "xa-hoi", "van-hoa", "the-thao"] as const;
export type CategorySlug = (typeof CATEGORY_SLUGS)[number];

export const CATEGORY_NAMES: Record<CategorySlug, string> = {
  "thoi-su": "Thời sự",
  "kinh-te": "Kinh tế",
  "xa-hoi": "Xã hội",
  "van-hoa": "Văn hóa",
  "the-thao": "Thể thao",
};

/** The seed article (/work/shared/seed/000_…txt), in thoi-su. */
export const SEED_ARTICLE_ID = 370001;
/** A story meant to be changed with editArticle between fetches. */
export const EDITABLE_ARTICLE_ID = 480102;
/** A story in both thoi-su and xa-hoi; the xa-hoi feed links it with utm_* parameters. */
export const SHARED_ARTICLE_ID = 480103;

/** A paragraph, or a photo with its caption. */
export type BodyBlock = string | { src: string; caption: string };

export interface FakeArticleInput {
  id: number;
  title: string;
  lead: string;
  body: BodyBlock[];
  /** The first is the section the page belongs to; the story is in each one's feed. */
  categories: CategorySlug[];
  author: string;
  /** Vietnamese local time, day first: "26/01/2026 08:27". */
  publishedAt: string;
  /** Site path of the lead picture. */
  image: string;
  /** Query string appended to the link in the named feed, e.g. { "xa-hoi": "utm_source=rss" }. */
  feedQuery?: Partial<Record<CategorySlug | "home", string>>;
  /** URL slug; derived from the title when absent. */
  slug?: string;
  /** "Tin cùng chuyên mục" entries; taken from the same section when absent. */
  related?: { title: string; lead: string; id: number }[];
}

export interface FakeArticle extends FakeArticleInput {
  slug: string;
  /** Bumped by each edit; feeds' ETag and Last-Modified follow it. */
  revision: number;
  /** Site clock tick of the last change. */
  changedAt: number;
}

export type FailMode =
  | { kind: "status"; status: number }
  | { kind: "redirect"; to: string; status?: 301 | 302 | 303 | 307 | 308 }
  | { kind: "delay"; ms: number }
  | { kind: "huge"; mib?: number; declareLength?: boolean }
  /** Never answer; the socket is destroyed on close(). */
  | "timeout"
  /** Send headers and part of the body, then hang. */
  | "stall-body"
  | "redirect-loop"
  /** Stream 8 MiB without Content-Length. */
  | "huge"
  | "gzip"
  | "deflate"
  | "br"
  /** 16 MiB of XML that gzips to a few KiB. */
  | "gzip-bomb"
  | "malformed-xml"
  | "html-as-feed"
  | "entity-bomb"
  | "external-entity"
  /** The path's feed encoded in windows-1258, declared only in the XML prolog. */
  | "windows-1258"
  | "item-no-link"
  | "huge-item"
  | "no-body-article";

export interface RecordedRequest {
  method: string;
  /** Path with query, as requested. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeNewsSite {
  /** Base URL, no trailing slash. */
  url: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  /** In-flight requests now, and the most seen at once since start or resetStats(). */
  readonly stats: { inFlight: number; maxInFlight: number };
  resetStats(): void;
  /** RSS 2.0 feed of a category, or "home" for everything. */
  feedUrl(slug: CategorySlug | "home" | string): string;
  atomUrl(slug: CategorySlug | "home" | string): string;
  jsonFeedUrl(slug: CategorySlug | "home" | string): string;
  articleUrl(id: number | string): string;
  articlePath(id: number | string): string;
  /** Make a path (or full URL) misbehave until clearFailures(). */
  fail(path: string, mode: FailMode): void;
  clearFailures(): void;
  articles(): FakeArticle[];
  getArticle(id: number): FakeArticle;
  addArticle(input: FakeArticleInput): FakeArticle;
  editArticle(id: number, patch: Partial<Omit<FakeArticleInput, "id">>): FakeArticle;
}

// -------------------------------------------------------------------------------------------
// Content

const SEED_BODY: BodyBlock[] = [
  { src: "/uploads/2023/12/08/111.jpg", caption: "Quang cảnh hội nghị." },
  "Hội nghị do Bộ Thông tin và Truyền thông, Văn phòng Thường trực Ban Chỉ đạo Nhân quyền của Chính phủ phối hợp UBND tỉnh Hòa Bình tổ chức.",
  "Phó Giáo sư, Tiến sĩ Lê Hải Bình, Ủy viên dự khuyết Trung ương Đảng, Phó Trưởng Ban Tuyên giáo Trung ương, Phó Trưởng Ban Thường trực Ban Chỉ đạo công tác thông tin đối ngoại Trung ương dự và chỉ đạo hội nghị.",
  "Hội nghị có sự tham gia của 280 đại biểu đến từ Văn phòng Thường trực Ban Chỉ đạo nhân quyền của Chính phủ, Cục Thông tin đối ngoại, Bộ Thông tin và Truyền thông, cán bộ phụ trách công tác thông tin đối ngoại 25 tỉnh, thành phố trong cả nước.",
  { src: "/uploads/2023/12/08/44.jpg", caption: "Đại biểu tỉnh Lào Cai dự hội nghị." },
  "Tham dự hội nghị, đoàn tỉnh Lào Cai có lãnh đạo Sở Thông tin và Truyền thông, Công an tỉnh, cán bộ phụ trách công tác thông tin đối ngoại một số sở, ngành của tỉnh.",
  "Đây là hội nghị tập huấn thứ 3 trong năm 2023 trên cả nước nhằm quán triệt Kết luận số 57 ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới và triển khai trực tiếp Đề án truyền thông về quyền con người ở Việt Nam (Quyết định 1079/QĐ-TTg).",
  {
    src: "/uploads/2023/12/08/22.jpg",
    caption:
      "Đồng chí Lê Hải Bình, Phó Trưởng Ban Tuyên giáo Trung ương, Phó Trưởng Ban Thường trực Ban Chỉ đạo công tác thông tin đối ngoại Trung ương triển khai các chuyên đề tại hội nghị.",
  },
  "Tại hội nghị, đồng chí Lê Hải Bình, Phó Trưởng Ban Tuyên giáo Trung ương, Phó Trưởng Ban Thường trực Ban Chỉ đạo công tác thông tin đối ngoại Trung ương nhấn mạnh: Kết luận số 16 ngày 14/2/2012 của Bộ Chính trị (khóa XI) về chiến lược phát triển thông tin đối ngoại giai đoạn 2010 - 2020 là một văn bản quan trọng, đến nay vẫn còn nhiều giá trị.",
  "Tuy nhiên, trong bối cảnh, vị thế của Việt Nam ngày càng được nâng cao trên trường quốc tế, công tác truyền thông, thông tin đối ngoại cần có sự thay đổi nhằm khắc phục các tồn tại, hạn chế và đáp ứng tình hình mới. Kết luận 57-KL/TW của Bộ Chính trị đã thể hiện tinh thần mới, quan điểm mới của Đảng ta về công tác thông tin đối ngoại cũng như yêu cầu đặt ra đối với công tác truyền thông, thông tin đối ngoại về quyền con người.",
  {
    src: "/uploads/2023/12/08/33.jpg",
    caption: "Đồng chí Nguyễn Văn Chương, Phó Chủ tịch UBND tỉnh Hòa Bình phát biểu tại hội nghị.",
  },
  "Tại hội nghị cũng đã cập nhật tình hình và kết quả của Việt Nam trong bảo đảm và phát huy quyền con người đến cán bộ thông tin đối ngoại của các tỉnh, thành phố; cung cấp thông tin về một số hoạt động chống phá của các thế lực thù địch diễn ra trong thời gian qua và lưu ý các đại biểu cần nâng cao cảnh giác, kịp thời đấu tranh, phản bác các luận điệu xấu, xuyên tạc về tình hình nhân quyền ở Việt Nam.",
  "Ban Tổ chức hội nghị đã ghi nhận nhiều ý kiến chia sẻ kinh nghiệm thực tế của các đại biểu đến từ các tỉnh, thành phố trong cả nước. Đại diện của Cục Thông tin đối ngoại và Văn phòng Thường trực Ban Chỉ đạo về nhân quyền đã giải đáp một số thắc mắc, tháo gỡ khó khăn của các tỉnh trong triển khai Quyết định 1079/QĐ-TTg của Thủ tướng Chính phủ.",
  "Dịp này, Cục Thông tin đối ngoại và Văn phòng Thường trực Ban Chỉ đạo về nhân quyền Chính phủ phối hợp tổ chức hội nghị mẫu cơ chế cung cấp thông tin cho báo chí về công tác nhân quyền và thông tin đối ngoại định kỳ.",
];

/** The seed page's "Tin cùng chuyên mục" block, word for word. */
const SEED_RELATED: { title: string; lead: string; id: number }[] = [
  {
    id: 480101,
    title: "Nghĩa Lộ: sẵn sàng cho ngày hội tòng quân",
    lead: "Nhằm chuẩn bị tốt cho công tác tuyển chọn và gọi công dân nhập ngũ năm 2026, trong 2 ngày (26 - 27/1), Hội đồng Nghĩa vụ quân sự phường Nghĩa Lộ đã tổ chức các đoàn trực tiếp đến từng hộ gia đình để thâm nhập, nắm bắt tình hình công dân đủ điều kiện nhập ngũ trên địa bàn. Hoạt động này nhằm đảm bảo tính chính xác, khách quan và nâng cao chất lượng nguồn tuyển quân ngay từ cơ sở.",
  },
  {
    id: 480121,
    title: "“Tiến lên! Toàn thắng ắt về ta!” - Khi lời hiệu triệu trở thành kỷ luật thực thi",
    lead: "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng vừa khép lại, nhưng dư âm lớn nhất mà Đại hội để lại không chỉ là niềm tin, mà là một mệnh lệnh hành động rõ ràng và không thể trì hoãn. Trong dòng chảy đó, bài viết “Tiến lên! Toàn thắng ắt về ta!” của Tổng Bí thư Tô Lâm mang ý nghĩa đặc biệt: Không chỉ khẳng định thành công của Đại hội, mà quan trọng hơn, chuyển khí thế chính trị thành kỷ luật thực thi của cả hệ thống.",
  },
  {
    id: 480103,
    title: "Gắn kết từ mô hình “Ngày cuối tuần cùng dân” ở xã Yên Bình",
    lead: "Thực hiện chương trình “Ngày cuối tuần cùng dân”, gắn với phong trào thanh niên xung kích và phong trào thi đua “Ba nhất” do Công an tỉnh phát động, ngày 25/1, phòng Cảnh sát giao thông phối hợp với Công an xã Yên Bình và các lực lượng địa phương tổ chức ra quân dọn dẹp, vệ sinh môi trường trên tuyến đường Hương Lý, đoạn qua thôn 12 và thôn 13.",
  },
  {
    id: 480122,
    title: "Đảng bộ xã Lục Yên phấn đấu kết nạp mới 51 đảng viên trong năm 2026",
    lead: "Công tác phát triển đảng viên luôn được Đảng bộ xã Lục Yên chú trọng triển khai đồng bộ, từ khâu tạo nguồn đến bồi dưỡng quần chúng ưu tú để giới thiệu cho Đảng xem xét, kết nạp. Nhờ sự chủ động này, công tác phát triển đảng viên của Đảng bộ xã trong thời gian qua đã đạt được nhiều kết quả quan trọng.",
  },
  {
    id: 480102,
    title: "Tổng Bí thư, Chủ tịch nước Lào thăm cấp Nhà nước tới Việt Nam",
    lead: "Nhận lời mời của Tổng Bí thư Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam Tô Lâm và Phu nhân, Tổng Bí thư Ban Chấp hành Trung ương Đảng Nhân dân Cách mạng (NDCM) Lào, Chủ tịch nước Cộng hòa Dân chủ Nhân dân Lào Thongloun Sisoulith và Phu nhân thăm cấp Nhà nước tới Việt Nam từ ngày 26 đến 27/1/2026.",
  },
  {
    id: 480107,
    title:
      "Chương trình nghệ thuật “Tự hào tiến bước dưới cờ Đảng quang vinh” – lan tỏa niềm tin, khơi dậy khát vọng phát triển",
    lead: "Tối 25/1, tại Quảng trường 19/8 (phường Yên Bái) đã diễn ra Chương trình nghệ thuật “Tự hào tiến bước dưới cờ Đảng quang vinh”, chào mừng thành công Đại hội đại biểu toàn quốc lần thứ XIV của Đảng; kỷ niệm 96 năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2/1930 – 3/2/2026).",
  },
  {
    id: 480123,
    title: "Giữ bình yên để Lào Cai phát triển",
    lead: "Năm 2025, cả hệ thống chính trị, Nhân dân các dân tộc trong tỉnh đã đoàn kết một lòng vượt qua nhiều khó khăn, thử thách, đạt được nhiều thành tựu trên tất cả lĩnh vực của đời sống xã hội, đặc biệt là Đại hội Đảng bộ tỉnh đã diễn ra thành công tốt đẹp, mở ra chặng đường phát triển mới. Trong thành tích chung ấy, có sự đóng góp quan trọng của cán bộ, chiến sĩ Công an nhân dân.",
  },
  {
    id: 480124,
    title: "Lào luôn coi trọng và đặt quan hệ với Việt Nam lên ưu tiên hàng đầu",
    lead: "Chuyến thăm cấp Nhà nước tới Việt Nam của Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith sẽ góp phần tăng cường hợp tác song phương; tạo xung lực mới để hai bên tiếp tục phối hợp chặt chẽ trong việc triển khai các thỏa thuận cấp cao, cũng như thực hiện các mục tiêu phát triển trong giai đoạn phát triển mới.",
  },
  {
    id: 480125,
    title:
      "Chỉ thị của Bộ Chính trị về nghiên cứu, học tập, quán triệt, tuyên truyền và triển khai thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
    lead: 'Báo và Phát thanh, Truyền hình Lào Cai trân trọng giới thiệu toàn văn "Chỉ thị của Bộ Chính trị về nghiên cứu, học tập, quán triệt, tuyên truyền và triển khai thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng".',
  },
];

function initialArticles(): FakeArticleInput[] {
  return [
    {
      id: SEED_ARTICLE_ID,
      title: "Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người",
      lead: "Trong 2 ngày (7 - 8/12), tại tỉnh Hòa Bình diễn ra Hội nghị tập huấn công tác thông tin đối ngoại về quyền con người.",
      body: SEED_BODY,
      categories: ["thoi-su"],
      author: "Minh Ngọc",
      publishedAt: "08/12/2023 17:30",
      image: "/uploads/2023/12/08/111.jpg",
      related: SEED_RELATED,
    },
    {
      id: 480101,
      title: "Nghĩa Lộ: sẵn sàng cho ngày hội tòng quân",
      lead: "Nhằm chuẩn bị tốt cho công tác tuyển chọn và gọi công dân nhập ngũ năm 2026, trong 2 ngày (26 - 27/1), Hội đồng Nghĩa vụ quân sự phường Nghĩa Lộ đã tổ chức các đoàn trực tiếp đến từng hộ gia đình.",
      body: [
        "Các đoàn công tác gồm lãnh đạo Ban Chỉ huy Quân sự phường, cán bộ các tổ dân phố và đoàn viên thanh niên đã đến tận nhà từng công dân trong độ tuổi nhập ngũ để động viên, tìm hiểu hoàn cảnh gia đình.",
        {
          src: "/uploads/2026/01/27/nghia-lo-tong-quan.jpg",
          caption: "Cán bộ phường Nghĩa Lộ thăm hỏi gia đình công dân chuẩn bị nhập ngũ.",
        },
        "Năm nay, phường Nghĩa Lộ được giao chỉ tiêu 42 công dân nhập ngũ. Đến nay, 100% công dân trúng tuyển đã nhận lệnh gọi và sẵn sàng lên đường vào ngày hội tòng quân.",
        "Ông Hoàng Văn Tuấn, Chủ tịch UBND phường cho biết, địa phương sẽ tổ chức lễ giao nhận quân trang trọng, an toàn, tiết kiệm.",
      ],
      categories: ["thoi-su"],
      author: "Thanh Tùng",
      publishedAt: "27/01/2026 09:15",
      image: "/uploads/2026/01/27/nghia-lo-tong-quan.jpg",
    },
    {
      id: EDITABLE_ARTICLE_ID,
      title: "Tổng Bí thư, Chủ tịch nước Lào thăm cấp Nhà nước tới Việt Nam",
      lead: "Nhận lời mời của Tổng Bí thư Tô Lâm và Phu nhân, Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith và Phu nhân thăm cấp Nhà nước tới Việt Nam từ ngày 26 đến 27/1/2026.",
      body: [
        "Theo thông báo của Bộ Ngoại giao, chuyến thăm diễn ra ngay sau khi Đại hội đại biểu toàn quốc lần thứ XIV của Đảng thành công tốt đẹp.",
        "Chuyến thăm nhằm tiếp tục vun đắp mối quan hệ hữu nghị vĩ đại, đoàn kết đặc biệt và hợp tác toàn diện Việt Nam - Lào.",
      ],
      categories: ["thoi-su"],
      author: "TTXVN",
      publishedAt: "26/01/2026 06:00",
      image: "/uploads/2026/01/26/lao-tham-viet-nam.jpg",
    },
    {
      id: SHARED_ARTICLE_ID,
      title: "Gắn kết từ mô hình “Ngày cuối tuần cùng dân” ở xã Yên Bình",
      lead: "Ngày 25/1, phòng Cảnh sát giao thông phối hợp với Công an xã Yên Bình và các lực lượng địa phương tổ chức ra quân dọn dẹp, vệ sinh môi trường trên tuyến đường Hương Lý.",
      body: [
        "Hơn 100 cán bộ, chiến sĩ, đoàn viên thanh niên và người dân đã phát quang bụi rậm, khơi thông cống rãnh, thu gom rác thải dọc tuyến đường qua thôn 12 và thôn 13.",
        {
          src: "/uploads/2026/01/26/yen-binh-cuoi-tuan.jpg",
          caption: "Lực lượng công an cùng người dân dọn vệ sinh tuyến đường Hương Lý.",
        },
        "Mô hình “Ngày cuối tuần cùng dân” góp phần thắt chặt mối quan hệ giữa lực lượng công an với Nhân dân, xây dựng thế trận an ninh nhân dân vững chắc.",
      ],
      categories: ["thoi-su", "xa-hoi"],
      author: "Hồng Duyên",
      publishedAt: "26/01/2026 08:27",
      image: "/uploads/2026/01/26/yen-binh-cuoi-tuan.jpg",
      feedQuery: { "xa-hoi": "utm_source=rss&utm_medium=xa-hoi" },
    },
    {
      id: 480104,
      title: "Kim ngạch xuất nhập khẩu qua cửa khẩu Lào Cai tăng mạnh đầu năm",
      lead: "Trong 25 ngày đầu năm 2026, kim ngạch xuất nhập khẩu hàng hóa qua các cửa khẩu trên địa bàn tỉnh Lào Cai đạt hơn 520 triệu USD, tăng 18% so với cùng kỳ.",
      body: [
        "Theo Ban Quản lý Khu kinh tế tỉnh, mặt hàng nông sản như thanh long, chuối, sầu riêng chiếm tỷ trọng lớn trong cơ cấu hàng xuất khẩu.",
        {
          src: "/uploads/2026/01/26/cua-khau-kim-thanh.jpg",
          caption: "Xe chở nông sản làm thủ tục tại cửa khẩu quốc tế đường bộ số II Kim Thành.",
        },
        "Để phục vụ cao điểm trước Tết Nguyên đán, các lực lượng chức năng tại cửa khẩu bố trí làm việc cả ngày thứ Bảy và Chủ nhật, bảo đảm thông quan nhanh chóng.",
      ],
      categories: ["kinh-te"],
      author: "Quang Minh",
      publishedAt: "26/01/2026 10:40",
      image: "/uploads/2026/01/26/cua-khau-kim-thanh.jpg",
    },
    {
      id: 480105,
      title: "Nông dân Văn Chấn tất bật vào vụ chè xuân",
      lead: "Những ngày cuối tháng Giêng, người trồng chè ở xã Văn Chấn tập trung chăm sóc, bón phân để đón lứa chè xuân đầu tiên của năm.",
      body: [
        "Toàn xã hiện có hơn 1.200 ha chè, trong đó diện tích chè đặc sản Shan tuyết chiếm gần một nửa.",
        "Giá chè búp tươi đầu vụ dao động từ 9.000 đến 12.000 đồng/kg, cao hơn năm trước khoảng 10%.",
      ],
      categories: ["kinh-te"],
      author: "Lê Phiên",
      publishedAt: "25/01/2026 15:20",
      image: "/uploads/2026/01/25/che-van-chan.jpg",
    },
    {
      id: 480106,
      title: "Bảo đảm an toàn giao thông dịp Tết Nguyên đán Bính Ngọ 2026",
      lead: "Công an tỉnh Lào Cai triển khai cao điểm tuần tra, kiểm soát, xử lý vi phạm về trật tự, an toàn giao thông trước, trong và sau Tết Nguyên đán Bính Ngọ 2026.",
      body: [
        "Lực lượng cảnh sát giao thông tập trung kiểm soát nồng độ cồn, tốc độ và chở quá số người quy định trên các tuyến quốc lộ 4D, 70 và cao tốc Nội Bài - Lào Cai.",
        {
          src: "/uploads/2026/01/25/atgt-tet.jpg",
          caption: "Cảnh sát giao thông kiểm tra nồng độ cồn người điều khiển phương tiện.",
        },
        "Người dân được khuyến cáo “đã uống rượu, bia thì không lái xe” để đón một cái Tết an toàn.",
      ],
      categories: ["xa-hoi"],
      author: "Văn Thông",
      publishedAt: "25/01/2026 19:05",
      image: "/uploads/2026/01/25/atgt-tet.jpg",
    },
    {
      id: 480107,
      title:
        "Chương trình nghệ thuật “Tự hào tiến bước dưới cờ Đảng quang vinh” – lan tỏa niềm tin, khơi dậy khát vọng phát triển",
      lead: "Tối 25/1, tại Quảng trường 19/8 (phường Yên Bái) đã diễn ra Chương trình nghệ thuật “Tự hào tiến bước dưới cờ Đảng quang vinh”.",
      body: [
        "Chương trình chào mừng thành công Đại hội đại biểu toàn quốc lần thứ XIV của Đảng; kỷ niệm 96 năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2/1930 – 3/2/2026).",
        {
          src: "/uploads/2026/01/26/nghe-thuat-19-8.jpg",
          caption: "Tiết mục mở màn chương trình nghệ thuật.",
        },
        "Hàng nghìn người dân và du khách đã đến xem, cổ vũ các tiết mục ca múa nhạc đặc sắc mang đậm bản sắc văn hóa các dân tộc Lào Cai.",
      ],
      categories: ["van-hoa"],
      author: "Thu Trang",
      publishedAt: "25/01/2026 22:10",
      image: "/uploads/2026/01/26/nghe-thuat-19-8.jpg",
    },
    {
      id: 480108,
      title: "Rộn ràng lễ hội Gầu Tào của đồng bào Mông ở Bắc Hà",
      lead: "Lễ hội Gầu Tào – lễ hội truyền thống lớn nhất của đồng bào Mông – được tổ chức tại xã Bắc Hà với nhiều hoạt động văn hóa, thể thao đặc sắc.",
      body: [
        "Lễ hội có các trò chơi dân gian như ném pa pao, đánh quay, kéo co, thi thổi khèn và múa khèn.",
        "Đây là dịp để đồng bào cầu mong một năm mới mưa thuận gió hòa, mùa màng bội thu, gia đình hạnh phúc.",
      ],
      categories: ["van-hoa"],
      author: "Hoàng Thu",
      publishedAt: "24/01/2026 16:45",
      image: "/uploads/2026/01/24/gau-tao-bac-ha.jpg",
    },
    {
      id: 480109,
      title: "Hơn 1.000 vận động viên tranh tài tại Giải Việt dã tỉnh Lào Cai năm 2026",
      lead: "Sáng 25/1, Giải Việt dã tỉnh Lào Cai năm 2026 thu hút hơn 1.000 vận động viên đến từ các xã, phường, trường học và lực lượng vũ trang.",
      body: [
        "Các vận động viên thi đấu ở cự ly 3 km, 5 km và 8 km trên các tuyến phố trung tâm phường Cam Đường.",
        {
          src: "/uploads/2026/01/25/viet-da.jpg",
          caption: "Các vận động viên xuất phát ở cự ly 5 km.",
        },
        "Ban Tổ chức trao 12 bộ huy chương cho các vận động viên đạt thành tích cao.",
      ],
      categories: ["the-thao"],
      author: "Đức Anh",
      publishedAt: "25/01/2026 11:30",
      image: "/uploads/2026/01/25/viet-da.jpg",
    },
    {
      id: 480110,
      title: "Đội bóng đá U17 Lào Cai giành vé vào vòng chung kết quốc gia",
      lead: "Với chiến thắng 2-1 trước U17 Phú Thọ ở lượt trận cuối, U17 Lào Cai giành ngôi nhất bảng và lần đầu tiên góp mặt tại vòng chung kết giải U17 quốc gia.",
      body: [
        "Bàn thắng quyết định được tiền đạo Giàng A Dình ghi ở phút 87 sau một pha phản công nhanh.",
        "Huấn luyện viên trưởng cho biết toàn đội sẽ tập trung tập luyện ngay sau Tết để chuẩn bị cho vòng chung kết.",
      ],
      categories: ["the-thao"],
      author: "Đức Anh",
      publishedAt: "24/01/2026 20:00",
      image: "/uploads/2026/01/24/u17-lao-cai.jpg",
    },
  ];
}

// -------------------------------------------------------------------------------------------
// Helpers

function slugify(title: string): string {
  return foldAccents(title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 90)
    .replace(/-+$/, "");
}

function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
}

function xmlEscape(text: string): string {
  return escapeHtmlAttribute(text).replace(/'/g, "&apos;");
}

/** "26/01/2026 08:27" (UTC+7) -> epoch ms. */
function localToMs(local: string): number {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`fake news site: bad date ${local}, want "26/01/2026 08:27"`);
  return (
    Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5])) -
    7 * 3_600_000
  );
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Mon, 26 Jan 2026 08:27:00 +0700", as Vietnamese CMSes write pubDate. */
function rfc822Local(local: string): string {
  const t = new Date(localToMs(local) + 7 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[t.getUTCDay()]}, ${pad(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:00 +0700`;
}

/** "2026-01-26T08:27:00+07:00". */
function isoLocal(local: string): string {
  return `${new Date(localToMs(local) + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}

const SITE_NAME = "Báo Lào Cai";
const CLOCK_BASE_MS = Date.UTC(2026, 0, 27, 3, 0, 0);

// windows-1258: a byte table from TextDecoder, and an encoder that decomposes tones into the
// code page's combining marks where there is no precomposed letter.
let cp1258: Map<string, number> | undefined;
function encodeWindows1258(text: string): Buffer {
  if (!cp1258) {
    cp1258 = new Map();
    const decoder = new TextDecoder("windows-1258");
    for (let b = 0; b < 256; b++) {
      const ch = decoder.decode(Uint8Array.of(b));
      if (ch !== "\uFFFD" && !cp1258.has(ch)) cp1258.set(ch, b);
    }
  }
  const table = cp1258;
  const out: number[] = [];
  for (const ch of text.normalize("NFC")) {
    const direct = table.get(ch);
    if (direct !== undefined) {
      out.push(direct);
      continue;
    }
    // Keep the marks the code page has as combining characters (the five tones) apart, and
    // recompose the rest: "ậ" is "â" + U+0323.
    const parts = [...ch.normalize("NFD")];
    const tones = parts.filter((p) => /\p{M}/u.test(p) && table.has(p));
    const base = table.get(
      parts
        .filter((p) => !tones.includes(p))
        .join("")
        .normalize("NFC"),
    );
    const done = base !== undefined && tones.length > 0;
    if (done) out.push(base, ...tones.map((t) => table.get(t) as number));
    if (!done) out.push(0x3f);
  }
  return Buffer.from(out);
}

let gzipBomb: Buffer | undefined;
function getGzipBomb(): Buffer {
  if (!gzipBomb) {
    const head = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>',
    );
    gzipBomb = gzipSync(Buffer.concat([head, Buffer.alloc(16 * 1024 * 1024, 0x20)]));
  }
  return gzipBomb;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

// -------------------------------------------------------------------------------------------
// The site

export async function startFakeNewsSite(): Promise<FakeNewsSite> {
  const articles = new Map<number, FakeArticle>();
  let tick = 0;
  for (const input of initialArticles()) {
    articles.set(input.id, {
      ...input,
      slug: input.slug ?? slugify(input.title),
      revision: 1,
      changedAt: 0,
    });
  }
  const failures = new Map<string, FailMode>();
  const requests: RecordedRequest[] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  let base = "";

  const sorted = () =>
    [...articles.values()].sort(
      (a, b) => localToMs(b.publishedAt) - localToMs(a.publishedAt) || b.id - a.id,
    );
  const inFeed = (slug: string) =>
    sorted().filter((a) => slug === "home" || a.categories.includes(slug as CategorySlug));
  const pathOf = (a: FakeArticle) => `/${a.slug}-post${a.id}.html`;
  const urlOf = (a: FakeArticle) => `${base}${pathOf(a)}`;
  const feedLink = (a: FakeArticle, slug: string) => {
    const query = a.feedQuery?.[slug as CategorySlug | "home"];
    return query ? `${urlOf(a)}?${query}` : urlOf(a);
  };
  const feedTitle = (slug: string) =>
    slug === "home"
      ? `${SITE_NAME} - Trang chủ`
      : `${SITE_NAME} - ${CATEGORY_NAMES[slug as CategorySlug]}`;
  const isFeedSlug = (slug: string) =>
    slug === "home" || (CATEGORY_SLUGS as readonly string[]).includes(slug);
  const lastModifiedOf = (list: FakeArticle[]) =>
    new Date(CLOCK_BASE_MS + Math.max(0, ...list.map((a) => a.changedAt)) * 60_000);

  function descriptionHtml(a: FakeArticle, link: string): string {
    return `<a href="${escapeHtmlAttribute(link)}"><img src="${escapeHtmlAttribute(base + a.image)}" /></a></br>${escapeHtml(a.lead)}`;
  }

  function rssItem(a: FakeArticle, slug: string): string {
    const link = feedLink(a, slug);
    return `<item>
<title>${cdata(a.title)}</title>
<link>${xmlEscape(link)}</link>
<guid isPermaLink="true">${xmlEscape(urlOf(a))}</guid>
<pubDate>${rfc822Local(a.publishedAt)}</pubDate>
<description>${cdata(descriptionHtml(a, link))}</description>
<dc:creator>${cdata(a.author)}</dc:creator>
</item>`;
  }

  function rss(slug: string, extraItems = "", encoding = "UTF-8"): string {
    const list = inFeed(slug);
    const channelLink = slug === "home" ? `${base}/` : `${base}/${slug}`;
    return `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${xmlEscape(feedTitle(slug))}</title>
<link>${xmlEscape(channelLink)}</link>
<description>Tin tức mới nhất của Báo và Phát thanh, Truyền hình Lào Cai</description>
<language>vi-VN</language>
<atom:link href="${xmlEscape(`${base}/rss/${slug}.rss`)}" rel="self" type="application/rss+xml" />
<lastBuildDate>${lastModifiedOf(list).toUTCString()}</lastBuildDate>
${extraItems}${list.map((a) => rssItem(a, slug)).join("\n")}
</channel>
</rss>
`;
  }

  function atom(slug: string): string {
    const list = inFeed(slug);
    const entries = list.map((a) => {
      const link = feedLink(a, slug);
      return `<entry>
<title type="html">${xmlEscape(a.title)}</title>
<link rel="alternate" type="text/html" href="${xmlEscape(link)}"/>
<id>tag:baolaocai.vn,2026:post${a.id}</id>
<published>${isoLocal(a.publishedAt)}</published>
<updated>${isoLocal(a.publishedAt)}</updated>
<author><name>${xmlEscape(a.author)}</name></author>
<summary type="html">${xmlEscape(descriptionHtml(a, link))}</summary>
</entry>`;
    });
    return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">
<title>${xmlEscape(feedTitle(slug))}</title>
<id>${xmlEscape(`${base}/atom/${slug}.xml`)}</id>
<updated>${lastModifiedOf(list).toISOString()}</updated>
<link rel="self" href="${xmlEscape(`${base}/atom/${slug}.xml`)}"/>
<link rel="alternate" type="text/html" href="${xmlEscape(`${base}/${slug === "home" ? "" : slug}`)}"/>
${entries.join("\n")}
</feed>
`;
  }

  function jsonFeed(slug: string): string {
    return JSON.stringify(
      {
        version: "https://jsonfeed.org/version/1.1",
        title: feedTitle(slug),
        home_page_url: `${base}/`,
        feed_url: `${base}/json/${slug}.json`,
        language: "vi",
        items: inFeed(slug).map((a) => ({
          id: String(a.id),
          url: feedLink(a, slug),
          title: a.title,
          summary: a.lead,
          image: base + a.image,
          date_published: isoLocal(a.publishedAt),
          authors: [{ name: a.author }],
        })),
      },
      null,
      2,
    );
  }

  function nav(): string {
    return `<nav class="main-nav"><ul>
<li><a href="/">Trang chủ</a></li>
${CATEGORY_SLUGS.map((s) => `<li><a href="/${s}">${escapeHtml(CATEGORY_NAMES[s])}</a></li>`).join("\n")}
</ul></nav>`;
  }

  function page(title: string, main: string, head = ""): string {
    return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head}
<link rel="stylesheet" href="/css/main.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());</script>
</head>
<body>
<header class="site-header">
<div class="topbar"><span class="topbar__date">Thứ Ba, 27/01/2026</span> <a href="/rss">RSS</a></div>
<a class="site-header__logo" href="/"><img src="/img/logo.png" alt="${SITE_NAME}"></a>
${nav()}
</header>
<div class="ads ads--top"><script async src="/ads/loader.js"></script><a href="/ads/click?id=1"><img src="/ads/banner-top.jpg" alt="Quảng cáo"></a></div>
<main class="main">
${main}
</main>
<div class="ads ads--bottom">Quảng cáo</div>
<footer class="site-footer">
<p>Báo và Phát thanh, Truyền hình Lào Cai</p>
<p>Địa chỉ: Đường Hoàng Liên, phường Lào Cai, tỉnh Lào Cai. Điện thoại: 0214 3840 133</p>
<p>© Bản quyền thuộc về Báo Lào Cai. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>
</footer>
<script src="/js/app.js"></script>
<script>(function(){var s=document.createElement('script');s.src='/js/stats.js';document.body.appendChild(s);})();</script>
</body>
</html>
`;
  }

  function relatedItem(r: { title: string; lead: string; id: number }): string {
    const known = articles.get(r.id);
    const href = known ? pathOf(known) : `/${slugify(r.title)}-post${r.id}.html`;
    const image = known?.image ?? `/uploads/2026/01/26/post${r.id}.jpg`;
    return `<div class="related__item">
<a class="related__thumb" href="${escapeHtmlAttribute(href)}" title="${escapeHtmlAttribute(r.title)}"><img src="${escapeHtmlAttribute(image)}" alt="${escapeHtmlAttribute(r.title)}"><span class="related__thumb-title">${escapeHtml(r.title)}</span></a>
<h3 class="related__title"><a href="${escapeHtmlAttribute(href)}">${escapeHtml(r.title)}</a></h3>
<p class="related__sapo">${escapeHtml(r.lead)}</p>
</div>`;
  }

  function articlePage(a: FakeArticle, options: { noBody?: boolean } = {}): string {
    const section = a.categories[0] ?? "thoi-su";
    const sameSection =
      a.related ??
      sorted()
        .filter((o) => o.id !== a.id && o.categories.includes(section))
        .slice(0, 4)
        .map((o) => ({ title: o.title, lead: o.lead, id: o.id }));
    const interesting = sorted()
      .filter((o) => o.id !== a.id && !o.categories.includes(section))
      .slice(0, 2)
      .map((o) => ({ title: o.title, lead: o.lead, id: o.id }));
    const body = a.body
      .map((block) =>
        typeof block === "string"
          ? `<p>${escapeHtml(block)}</p>`
          : `<figure class="image"><img src="${escapeHtmlAttribute(block.src)}" alt="${escapeHtmlAttribute(block.caption)}" width="800" height="533"><figcaption>${escapeHtml(block.caption)}</figcaption></figure>`,
      )
      .join("\n");
    const bodyBlock = options.noBody
      ? `<div class="video-player" data-src="/video/post${a.id}.m3u8"><script>loadPlayer('post${a.id}');</script></div>`
      : `<div class="article__body cms-body">
${body}
<p class="article__author-bottom"><strong>${escapeHtml(a.author)}</strong></p>
</div>`;
    const ld = JSON.stringify({
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: a.title,
      description: a.lead,
      datePublished: isoLocal(a.publishedAt),
      author: { "@type": "Person", name: a.author },
      image: [base + a.image],
    });
    const head = `<meta name="description" content="${escapeHtmlAttribute(a.lead)}">
<meta property="og:type" content="article">
<meta property="og:title" content="${escapeHtmlAttribute(a.title)}">
<meta property="og:description" content="${escapeHtmlAttribute(a.lead)}">
<meta property="og:image" content="${escapeHtmlAttribute(base + a.image)}">
<meta property="og:url" content="${escapeHtmlAttribute(urlOf(a))}">
<meta property="article:published_time" content="${isoLocal(a.publishedAt)}">
<link rel="canonical" href="${escapeHtmlAttribute(urlOf(a))}">
<script type="application/ld+json">${ld.replace(/</g, "\\u003c")}</script>`;
    const main = `<div class="breadcrumb"><a href="/">Trang chủ</a> <span>/</span> <a href="/${section}">${escapeHtml(CATEGORY_NAMES[section])}</a></div>
<article class="article" data-id="${a.id}">
<h1 class="article__title">${escapeHtml(a.title)}</h1>
<div class="article__meta">
<span class="article__author">${escapeHtml(a.author)}</span>
<time class="article__time" datetime="${isoLocal(a.publishedAt)}">${a.publishedAt}</time>
</div>
<div class="article__sapo">${escapeHtml(a.lead)}</div>
${bodyBlock}
<div class="ads ads--inline"><ins class="adsbygoogle" data-ad-slot="123"></ins><script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>
<div class="article__share"><a class="share share--fb" href="#">fb</a> <a class="share share--yt" href="#">yt</a> <a class="share share--zl" href="#">zl</a> <a class="share share--tw" href="#">tw</a></div>
<div class="article__tags"><span>Từ khóa:</span> <a href="/tag/lao-cai">Lào Cai</a></div>
</article>
<section class="box-related box-interest">
<h2 class="box-heading">Có thể bạn quan tâm</h2>
${interesting.map(relatedItem).join("\n")}
</section>
<section class="box-related box-same-section">
<h2 class="box-heading">Tin cùng chuyên mục</h2>
${sameSection.map(relatedItem).join("\n")}
</section>`;
    return page(`${a.title} - ${SITE_NAME}`, main, head);
  }

  function listPage(slug: string | null): string {
    const list = slug ? inFeed(slug) : sorted();
    const items = list
      .map(
        (
          a,
        ) => `<div class="story"><a class="story__thumb" href="${escapeHtmlAttribute(pathOf(a))}"><img src="${escapeHtmlAttribute(a.image)}" alt=""></a>
<h3 class="story__title"><a href="${escapeHtmlAttribute(pathOf(a))}">${escapeHtml(a.title)}</a></h3>
<p class="story__sapo">${escapeHtml(a.lead)}</p></div>`,
      )
      .join("\n");
    const heading = slug ? CATEGORY_NAMES[slug as CategorySlug] : "Tin mới nhất";
    return page(
      `${slug ? `${heading} - ` : ""}${SITE_NAME}`,
      `<h1 class="section-title">${escapeHtml(heading)}</h1>\n${items}`,
    );
  }

  function xmlReply(body: string, contentType: string, modified: Date): Reply {
    return {
      status: 200,
      headers: {
        "content-type": contentType,
        etag: `"${createHash("sha1").update(body).digest("hex").slice(0, 20)}"`,
        "last-modified": modified.toUTCString(),
        "cache-control": "max-age=300",
      },
      body,
    };
  }

  const notFound = (): Reply => ({
    status: 404,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: page(
      `Không tìm thấy trang - ${SITE_NAME}`,
      "<h1>Không tìm thấy trang</h1><p>Trang bạn tìm không tồn tại hoặc đã bị xóa.</p>",
    ),
  });

  /** The normal answer for a path, before any failure mode. */
  function route(url: URL): Reply {
    const path = url.pathname;
    let m = /^\/rss\/([a-z-]+)\.rss$/.exec(path);
    if (m?.[1] && isFeedSlug(m[1])) {
      return xmlReply(
        rss(m[1]),
        "application/rss+xml; charset=utf-8",
        lastModifiedOf(inFeed(m[1])),
      );
    }
    m = /^\/atom\/([a-z-]+)\.xml$/.exec(path);
    if (m?.[1] && isFeedSlug(m[1])) {
      return xmlReply(
        atom(m[1]),
        "application/atom+xml; charset=utf-8",
        lastModifiedOf(inFeed(m[1])),
      );
    }
    m = /^\/json\/([a-z-]+)\.json$/.exec(path);
    if (m?.[1] && isFeedSlug(m[1])) {
      return xmlReply(
        jsonFeed(m[1]),
        "application/feed+json; charset=utf-8",
        lastModifiedOf(inFeed(m[1])),
      );
    }
    m = /^\/([a-z0-9-]+)-post(\d+)\.html$/.exec(path);
    if (m) {
      const a = articles.get(Number(m[2]));
      if (!a) return notFound();
      if (a.slug !== m[1]) return { status: 301, headers: { location: pathOf(a) }, body: "" };
      return xmlReply(articlePage(a), "text/html; charset=utf-8", lastModifiedOf([a]));
    }
    if (path === "/")
      return {
        status: 200,
        headers: { "content-type": "text/html; charset=utf-8" },
        body: listPage(null),
      };
    const section = path.slice(1);
    if ((CATEGORY_SLUGS as readonly string[]).includes(section)) {
      return {
        status: 200,
        headers: { "content-type": "text/html; charset=utf-8" },
        body: listPage(section),
      };
    }
    if (path.startsWith("/uploads/")) {
      // A few bytes that start like a JPEG.
      return {
        status: 200,
        headers: { "content-type": "image/jpeg" },
        body: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
      };
    }
    return notFound();
  }

  /** The feed slug a path would serve, for failure modes that return feed-shaped bodies. */
  function slugForPath(path: string): string {
    const m = /^\/(?:rss|atom|json)\/([a-z-]+)\.(?:rss|xml|json)$/.exec(path);
    return m?.[1] && isFeedSlug(m[1]) ? m[1] : "home";
  }

  function isNotModified(req: IncomingMessage, reply: Reply): boolean {
    if (reply.status !== 200) return false;
    const inm = req.headers["if-none-match"];
    const etag = reply.headers.etag;
    if (inm !== undefined) {
      if (!etag) return false;
      const tags = inm.split(",").map((t) => t.trim().replace(/^W\//, ""));
      return tags.includes("*") || tags.includes(etag);
    }
    const ims = req.headers["if-modified-since"];
    const lm = reply.headers["last-modified"];
    if (ims !== undefined && lm) {
      const since = Date.parse(ims);
      return Number.isFinite(since) && Date.parse(lm) <= since;
    }
    return false;
  }

  function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
    if (isNotModified(req, reply)) {
      const headers: Record<string, string> = {};
      for (const name of ["etag", "last-modified", "cache-control"]) {
        const value = reply.headers[name];
        if (value) headers[name] = value;
      }
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body;
    res.writeHead(reply.status, { ...reply.headers, "content-length": String(body.length) });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  async function streamHuge(
    res: ServerResponse,
    mib: number,
    declareLength: boolean,
  ): Promise<void> {
    const total = mib * 1024 * 1024;
    const headers: Record<string, string> = {
      "content-type": "application/rss+xml; charset=utf-8",
    };
    if (declareLength) headers["content-length"] = String(total);
    res.writeHead(200, headers);
    const head = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>',
    );
    const chunk = Buffer.alloc(64 * 1024, "Tin tức ");
    let sent = 0;
    const write = (buf: Buffer) =>
      new Promise<void>((resolve) => {
        if (res.write(buf)) resolve();
        else {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.on("drain", done);
          res.on("close", done);
        }
      });
    await write(head);
    sent += head.length;
    while (sent < total && !res.destroyed && !res.writableEnded) {
      const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
      await write(piece);
      sent += piece.length;
    }
    if (!res.destroyed) res.end();
  }

  function feedModeBody(mode: FailMode, path: string): Reply | null {
    const slug = slugForPath(path);
    const rssType = "application/rss+xml; charset=utf-8";
    const now = lastModifiedOf(inFeed(slug));
    switch (mode) {
      case "malformed-xml":
        return xmlReply(
          `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${feedTitle(slug)}</title>
<item><title>Tin bị lỗi</title><link>${base}/tin-bi-loi-post1.html</link>
<description>Thẻ không được đóng
</channel></rss>
`,
          rssType,
          now,
        );
      case "html-as-feed":
        return {
          status: 200,
          headers: { "content-type": "text/html; charset=utf-8" },
          body: listPage(null),
        };
      case "entity-bomb": {
        const levels = ['<!ENTITY lol "lol">'];
        for (let i = 1; i <= 9; i++) {
          levels.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? "" : i - 1};`.repeat(10)}">`);
        }
        return xmlReply(
          `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
 ${levels.join("\n ")}
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>${base}/bom-post2.html</link><description>&lol9;</description></item>
</channel></rss>
`,
          rssType,
          now,
        );
      }
      case "external-entity":
        return xmlReply(
          `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
 <!ENTITY passwd SYSTEM "file:///etc/passwd">
 <!ENTITY remote SYSTEM "http://127.0.0.1:1/x">
]>
<rss version="2.0"><channel><title>Tin &remote;</title>
<item><title>Mật khẩu &passwd;</title><link>${base}/xxe-post3.html</link><description>&passwd;</description></item>
</channel></rss>
`,
          rssType,
          now,
        );
      case "windows-1258": {
        const body = encodeWindows1258(rss(slug, "", "windows-1258"));
        const reply = xmlReply(body.toString("latin1"), "text/xml", now);
        return { ...reply, body };
      }
      case "item-no-link":
        return xmlReply(
          rss(
            slug,
            `<item><title>${cdata("Tin không có đường dẫn")}</title><description>${cdata("Mục này thiếu thẻ link.")}</description><pubDate>Mon, 26 Jan 2026 07:00:00 +0700</pubDate></item>
<item><link>${base}/khong-tieu-de-post4.html</link><description>${cdata("Mục này thiếu tiêu đề.")}</description></item>
`,
          ),
          rssType,
          now,
        );
      case "huge-item": {
        const huge = `<p>${"Nội dung rất dài của một bản tin thử nghiệm. ".repeat(45_000)}</p>`;
        return xmlReply(
          rss(
            slug,
            `<item><title>${cdata("Bản tin có phần mô tả cực lớn")}</title><link>${base}/ban-tin-rat-dai-post5.html</link><pubDate>Tue, 27 Jan 2026 07:00:00 +0700</pubDate><description>${cdata(`<a href="${base}/ban-tin-rat-dai-post5.html"><img src="${base}/uploads/2026/01/27/dai.jpg" /></a></br>${huge}`)}</description></item>
`,
          ),
          rssType,
          now,
        );
      }
      default:
        return null;
    }
  }

  const sockets = new Set<import("node:net").Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests.push({
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: { ...req.headers },
    });
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.on("close", () => {
      stats.inFlight--;
    });
    const url = new URL(req.url ?? "/", base);
    const mode = failures.get(url.pathname);
    if (mode !== undefined) {
      if (typeof mode === "object") {
        switch (mode.kind) {
          case "status": {
            res.writeHead(mode.status, { "content-type": "text/html; charset=utf-8" });
            res.end(`<html><body><h1>Lỗi ${mode.status}</h1></body></html>`);
            return;
          }
          case "redirect":
            res.writeHead(mode.status ?? 302, { location: mode.to });
            res.end();
            return;
          case "delay":
            await new Promise((resolve) => setTimeout(resolve, mode.ms));
            if (res.destroyed) return;
            break;
          case "huge":
            await streamHuge(res, mode.mib ?? 8, mode.declareLength ?? false);
            return;
        }
      } else {
        switch (mode) {
          case "timeout":
            return; // never answer
          case "stall-body":
            res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
            res.write(
              '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Đang tải',
            );
            return;
          case "redirect-loop": {
            const looped = url.searchParams.has("loop");
            res.writeHead(302, { location: looped ? url.pathname : `${url.pathname}?loop=1` });
            res.end();
            return;
          }
          case "huge":
            await streamHuge(res, 8, false);
            return;
          case "gzip-bomb": {
            const body = getGzipBomb();
            res.writeHead(200, {
              "content-type": "application/rss+xml; charset=utf-8",
              "content-encoding": "gzip",
              "content-length": String(body.length),
            });
            res.end(body);
            return;
          }
          case "gzip":
          case "deflate":
          case "br": {
            const reply = route(url);
            if (isNotModified(req, reply)) return send(req, res, reply);
            const raw = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
            const body =
              mode === "gzip"
                ? gzipSync(raw)
                : mode === "deflate"
                  ? deflateSync(raw)
                  : brotliCompressSync(raw);
            return send(req, res, {
              ...reply,
              headers: { ...reply.headers, "content-encoding": mode, vary: "Accept-Encoding" },
              body,
            });
          }
          case "no-body-article": {
            const m = /-post(\d+)\.html$/.exec(url.pathname);
            const a = m ? articles.get(Number(m[1])) : undefined;
            const html = a
              ? articlePage(a, { noBody: true })
              : page(
                  SITE_NAME,
                  '<h1 class="article__title">Video</h1><div class="video-player"></div>',
                );
            return send(req, res, {
              status: 200,
              headers: { "content-type": "text/html; charset=utf-8" },
              body: html,
            });
          }
          default: {
            const reply = feedModeBody(mode, url.pathname);
            if (reply) return send(req, res, reply);
          }
        }
      }
    }
    send(req, res, route(url));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end(`fake news site error: ${err instanceof Error ? err.message : String(err)}`);
      } else {
        res.destroy();
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  const toPath = (p: string) =>
    /^https?:\/\//.test(p) ? new URL(p).pathname : (p.split("?")[0] ?? p);
  const mustGet = (id: number) => {
    const a = articles.get(id);
    if (!a) throw new Error(`fake news site: no article ${id}`);
    return a;
  };
  const articlePath = (id: number | string) => pathOf(mustGet(Number(id)));

  return {
    url: base,
    requests,
    get stats() {
      return { ...stats };
    },
    resetStats() {
      stats.maxInFlight = stats.inFlight;
    },
    feedUrl: (slug) => `${base}/rss/${slug}.rss`,
    atomUrl: (slug) => `${base}/atom/${slug}.xml`,
    jsonFeedUrl: (slug) => `${base}/json/${slug}.json`,
    articleUrl: (id) => `${base}${articlePath(id)}`,
    articlePath,
    fail(path, mode) {
      failures.set(toPath(path), mode);
    },
    clearFailures() {
      failures.clear();
    },
    articles: () => sorted().map((a) => ({ ...a })),
    getArticle: (id) => ({ ...mustGet(id) }),
    addArticle(input) {
      if (articles.has(input.id)) throw new Error(`fake news site: article ${input.id} exists`);
      tick++;
      const article: FakeArticle = {
        ...input,
        slug: input.slug ?? slugify(input.title),
        revision: 1,
        changedAt: tick,
      };
      articles.set(input.id, article);
      return { ...article };
    },
    editArticle(id, patch) {
      const current = mustGet(id);
      tick++;
      // The URL stays put when a headline is edited, as on real CMSes.
      const next: FakeArticle = {
        ...current,
        ...patch,
        id,
        slug: patch.slug ?? current.slug,
        revision: current.revision + 1,
        changedAt: tick,
      };
      articles.set(id, next);
      return { ...next };
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
