import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { migrateToLatest, openDatabase } from "../src/db";
import type { DbHandle } from "../src/db/schema";
import { indexText } from "../src/news/articles";
import { searchArticles } from "../src/news/search";
import { addTopic } from "../src/news/topics";
import { seededRandom } from "../test/fakes/base/random";
import { type BenchDatabase, createBenchDatabase, postgresSkipped } from "./postgres";
import { machine, percentile, recordFigures, writeSection } from "./results";

/** Stories seeded by default (`npm run bench -- search --stories N` sets another). */
const DEFAULT_STORIES = 200_000;
let STORIES = DEFAULT_STORIES;

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

interface CorpusStory {
  title: string;
  lead: string;
  body: string[];
  publishedAt: string;
}

/** Seeded stories, `count` of them published over three years before `end` (oldest first). */
function corpusStories(count: number, end = Date.parse("2026-03-01T00:00:00Z")) {
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

  const stories: CorpusStory[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + ((i + random()) * span) / count;
    const paragraphs = 3 + Math.floor(random() * 4);
    const body = Array.from({ length: paragraphs }, () =>
      Array.from({ length: 2 + Math.floor(random() * 3) }, sentence).join(" "),
    );
    if (chance(0.006)) body.push(`Đặc biệt, người dân còn phát hiện ${pick(RARE)} ở ${village()}.`);
    stories.push({
      title: chance(0.001) ? `Phát hiện ${pick(RARE)} ở ${place()}` : title(),
      lead: `${sentence()} ${sentence()}`,
      body,
      publishedAt: new Date(Math.floor(at / 1000) * 1000).toISOString(),
    });
  }
  return stories;
}

const CATEGORIES = ["thoi-su", "kinh-te", "xa-hoi", "van-hoa", "du-lich", "the-thao"];

/**
 * The order stories are stored in, as feeds bring them: pages of 50, newest first on a page,
 * and one in fifty a late arrival stored after everything else, so ids do not follow
 * publication times (newest first goes by the time published).
 */
function ingestOrder(count: number): number[] {
  const random = seededRandom(7);
  const order: number[] = [];
  const late: number[] = [];
  for (let start = 0; start < count; start += 50) {
    for (let i = Math.min(count, start + 50) - 1; i >= start; i--) {
      (random() < 0.02 ? late : order).push(i);
    }
  }
  return [...order, ...late];
}

/**
 * Stores the stories through the real tables in transactions of 1,000: articles, their topic,
 * and article_search rows made as storeArticle makes them (folded text of headline, lead and
 * body), whose triggers fill the search indexes.
 */
async function seed(db: DbHandle, stories: CorpusStory[]): Promise<void> {
  const topics: number[] = [];
  for (const slug of CATEGORIES) {
    topics.push((await addTopic(db, { slug, name: { vi: slug, en: slug } })).id);
  }
  const order = ingestOrder(stories.length);
  for (let start = 0; start < order.length; start += 1000) {
    const batch = order.slice(start, start + 1000).map((i) => {
      const story = stories[i] as CorpusStory;
      const fetched = new Date(Date.parse(story.publishedAt) + 300_000 + (i % 7) * 60_000);
      return { i, story, fetchedAt: fetched.toISOString(), topic: topics[i % topics.length] };
    });
    await db.transaction().execute(async (trx) => {
      const ids = await trx
        .insertInto("articles")
        .values(
          batch.map(({ i, story, fetchedAt, topic }) => ({
            url: `https://baolaocai.vn/tin-${i}.html`,
            guid: `bench-${i}`,
            content_hash: `bench-${i}`,
            title: story.title,
            lead: story.lead,
            body: story.body.join("\n\n"),
            photos: "[]",
            author: null,
            full_text: 1,
            published_at: story.publishedAt,
            fetched_at: fetchedAt,
            updated_at: fetchedAt,
            category_id: topic as number,
            source_id: null,
          })),
        )
        .returning("id")
        .execute();
      const id = (k: number) => (ids[k] as { id: number }).id;
      await trx
        .insertInto("article_categories")
        .values(
          batch.map(({ story, topic }, k) => ({
            article_id: id(k),
            category_id: topic as number,
            published_at: story.publishedAt,
          })),
        )
        .execute();
      await trx
        .insertInto("article_search")
        .values(
          batch.map(({ story }, k) => ({
            rowid: id(k),
            title: indexText(story.title),
            lead: indexText(story.lead),
            body: indexText(story.body.join(" ")),
          })),
        )
        .execute();
    });
  }
}

/** What readers type: kinds of query, each a few times over. */
const QUERIES: { kind: string; query: string; offset?: number }[] = [
  { kind: "words most stories have", query: "Lào Cai" },
  { kind: "words most stories have", query: "tỉnh" },
  { kind: "words most stories have", query: "hội nghị" },
  { kind: "words most stories have", query: "tỉnh Lào Cai" },
  { kind: "typed without accents", query: "lao cai" },
  { kind: "typed without accents", query: "hoi nghi" },
  { kind: "typed without accents", query: "tinh lao cai" },
  { kind: "typed without accents", query: "chuyen doi so" },
  { kind: "typed without accents", query: "nong thon moi" },
  { kind: "phrases", query: "chuyển đổi số" },
  { kind: "phrases", query: "xây dựng nông thôn mới" },
  { kind: "phrases", query: "phòng chống thiên tai" },
  { kind: "phrases", query: "cao tốc Nội Bài – Lào Cai" },
  { kind: "phrases", query: "Bí thư Tỉnh ủy" },
  { kind: "words of leads and bodies, rarely of headlines", query: "kinh phí" },
  { kind: "words of leads and bodies, rarely of headlines", query: "suất quà" },
  { kind: "words of leads and bodies, rarely of headlines", query: "đại biểu thảo luận" },
  { kind: "words of leads and bodies, rarely of headlines", query: "ngân sách tỉnh" },
  { kind: "words of leads and bodies, rarely of headlines", query: "cai lao" },
  { kind: "rare words", query: "voọc mũi hếch" },
  { kind: "rare words", query: "vooc" },
  { kind: "rare words", query: "thiên thạch" },
  { kind: "rare words", query: "kỷ lục Guinness" },
  { kind: "rare words", query: "Lào Cai sơn dương" },
  { kind: "no match", query: "khủng long" },
  { kind: "no match", query: "tỉnh khủng long" },
  { kind: "page 3 (offset 10)", query: "lao cai", offset: 10 },
  { kind: "page 3 (offset 10)", query: "hoi nghi", offset: 10 },
  { kind: "page 3 (offset 10)", query: "thien thach", offset: 10 },
];
const KINDS = [...new Set(QUERIES.map((q) => q.kind))];
/** A chat page: 5 stories and one more to know whether there is a next page. */
const LIMIT = 6;
const ROUNDS = 100;
const WARM_UP = 3;

interface StoreRun {
  store: "sqlite" | "postgres";
  seedSeconds: number;
  size: number;
  /** The machine's load average (1 minute) when the queries began. */
  load: number;
  /** Milliseconds per query index. */
  timings: number[][];
  /** Ids found per query index. */
  found: number[][];
}

/** Every query ROUNDS times, in a seeded shuffled order each round, after a warm-up. */
async function measure(db: DbHandle): Promise<Pick<StoreRun, "timings" | "found">> {
  const random = seededRandom(11);
  const timings: number[][] = QUERIES.map(() => []);
  const found: number[][] = QUERIES.map(() => []);
  const run = (q: (typeof QUERIES)[number]) =>
    searchArticles(db, q.query, { limit: LIMIT, offset: q.offset ?? 0 });
  for (let round = 0; round < WARM_UP; round++) {
    for (const [k, q] of QUERIES.entries()) found[k] = (await run(q)).map((a) => a.id);
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = QUERIES.map((_, k) => k).sort(() => random() - 0.5);
    for (const k of order) {
      const t0 = performance.now();
      await run(QUERIES[k] as (typeof QUERIES)[number]);
      (timings[k] as number[]).push(performance.now() - t0);
    }
  }
  return { timings, found };
}

async function runStore(
  store: StoreRun["store"],
  db: DbHandle,
  stories: CorpusStory[],
  size: () => Promise<number>,
): Promise<StoreRun> {
  await migrateToLatest(db);
  const t0 = performance.now();
  await seed(db, stories);
  // What autovacuum does on a live server: statistics, and GIN's pending entries merged.
  if (store === "postgres") await sql`vacuum analyze`.execute(db);
  const seedSeconds = (performance.now() - t0) / 1000;
  const load = loadavg()[0] ?? 0;
  return { store, seedSeconds, size: await size(), load, ...(await measure(db)) };
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 95))} / ${ms(percentile(sorted, 99))} / ${ms(sorted.at(-1) ?? 0)}`;
}

function slowest(run: StoreRun): string {
  const p95 = run.timings.map((t) =>
    percentile(
      [...t].sort((a, b) => a - b),
      95,
    ),
  );
  const k = p95.indexOf(Math.max(...p95));
  const q = QUERIES[k] as (typeof QUERIES)[number];
  return `"${q.query}"${q.offset ? ` (offset ${q.offset})` : ""}, p95 ${ms(p95[k] as number)} ms`;
}

/**
 * Search at 200,000 stories: the same seeded stories in a temp-file SQLite database and in a
 * fresh PostgreSQL database, then a mix of queries, each timed through searchArticles.
 */
export async function benchSearch(options: { stories?: number } = {}): Promise<string> {
  STORIES = options.stories ?? DEFAULT_STORIES;
  const stories = corpusStories(STORIES);
  const runs: StoreRun[] = [];
  const dir = mkdtempSync(join(tmpdir(), "bantin-bench-search-"));
  const path = join(dir, "bench.db");
  const sqlite = openDatabase({ kind: "sqlite", path }).db;
  try {
    const size = async () => {
      const { rows } = await sql<{ n: number }>`SELECT page_count * page_size AS n
        FROM pragma_page_count(), pragma_page_size()`.execute(sqlite);
      return Number(rows[0]?.n ?? 0);
    };
    runs.push(await runStore("sqlite", sqlite, stories, size));
  } finally {
    await sqlite.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  let postgresNote = "";
  let pgVersion = "";
  let database: BenchDatabase | undefined;
  try {
    database = await createBenchDatabase();
    pgVersion = database.version;
  } catch (error) {
    postgresNote = postgresSkipped(error);
  }
  if (database) {
    const pg = openDatabase({ kind: "postgres", url: database.url, poolSize: 4 }).db;
    try {
      const size = async () => {
        const { rows } = await sql<{
          n: number;
        }>`SELECT pg_database_size(current_database()) AS n`.execute(pg);
        return Number(rows[0]?.n ?? 0);
      };
      runs.push(await runStore("postgres", pg, stories, size));
    } finally {
      await pg.destroy();
      await database.drop();
    }
  }
  return report(runs, pgVersion, postgresNote);
}

function report(runs: StoreRun[], pgVersion: string, postgresNote: string): string {
  const [sqliteRun, pgRun] = runs as [StoreRun, StoreRun | undefined];
  const header = `| queries | runs | SQLite median / p95 / p99 / max (ms) |${pgRun ? " PostgreSQL median / p95 / p99 / max (ms) |" : ""}`;
  const line = (label: string, pick: (k: number) => boolean) => {
    const all = (run: StoreRun) => run.timings.filter((_, k) => pick(k)).flat();
    return `| ${label} | ${all(sqliteRun).length} | ${stats(all(sqliteRun))} |${pgRun ? ` ${stats(all(pgRun))} |` : ""}`;
  };
  const table = [
    header,
    `| --- | --- | --- |${pgRun ? " --- |" : ""}`,
    line("**all**", () => true),
    ...KINDS.map((kind) => {
      const examples = QUERIES.filter((q) => q.kind === kind).map((q) => `"${q.query}"`);
      return line(`${kind}: ${examples.join(", ")}`, (k) => QUERIES[k]?.kind === kind);
    }),
  ].join("\n");
  const same = pgRun
    ? QUERIES.filter((_, k) => sqliteRun.found[k]?.join() === pgRun.found[k]?.join()).length
    : 0;
  const mb = (v: number) => `${(v / 1024 / 1024).toFixed(0)} MB`;
  const seeded = runs
    .map((r) => `${r.store} in ${r.seedSeconds.toFixed(0)} s (${mb(r.size)} on disk)`)
    .join(", ");
  const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}${pgVersion ? `, ${pgVersion} on the same machine` : ""}.

${STORIES.toLocaleString("en-US")} seeded stories of a provincial newsroom over three years
(headline, a two-sentence lead, 3-6 paragraphs of body; the province's name in nearly every
story, "tỉnh" in nearly all, "hội nghị" in most; a few things in about one story in a thousand),
stored through the real tables (articles, their topic, article_search, whose triggers fill the
indexes) in transactions of 1,000, in feed order (newest first per page of 50, one in fifty
late), so ids do not follow publication times. Seeded: ${seeded}; PostgreSQL then had
\`VACUUM ANALYZE\`, as autovacuum would. Each of the ${QUERIES.length} queries below went
${ROUNDS} times through \`searchArticles\` (limit ${LIMIT}, a chat page and one more), in a
shuffled order each round after ${WARM_UP} warm-up rounds, one at a time on one process; the
time is \`performance.now()\` around the call, so it includes reading the stories' rows.
SQLite is a temp file (WAL); PostgreSQL a fresh database (pool of 4, dropped after the run).
Load average when the queries began: ${runs.map((r) => `${r.load.toFixed(1)} (${r.store})`).join(", ")}.
${pgRun ? `Same stories in the same order on both stores: ${same} of ${QUERIES.length} queries.` : ""}
Slowest query by p95: SQLite ${slowest(sqliteRun)}${pgRun ? `; PostgreSQL ${slowest(pgRun)}` : ""}.${postgresNote ? `\n\n${postgresNote}` : ""}

${table}`;
  if (STORIES === DEFAULT_STORIES) writeSection("Search at 200,000 stories", body);
  const p95 = (run: StoreRun, pick: (k: number) => boolean) =>
    Number(
      percentile(
        run.timings
          .filter((_, k) => pick(k))
          .flat()
          .sort((a, b) => a - b),
        95,
      ).toFixed(2),
    );
  recordFigures("search", {
    stories: STORIES,
    stores: runs.map((run) => ({
      store: run.store,
      bytes: run.size,
      p95ms: Object.fromEntries([
        ["all", p95(run, () => true)],
        ...KINDS.map((kind) => [kind, p95(run, (k) => QUERIES[k]?.kind === kind)]),
      ]),
    })),
  });
  return table;
}
