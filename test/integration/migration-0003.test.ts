/**
 * 0003_source_health on a database written by the code before it: page problems that were stored
 * as the feed's last error move to their own columns, and stories whose text kept invisible
 * format characters are cleaned and indexed again, so search finds them.
 */
import { type MigrationProvider, sql } from "kysely";
import { expect, it } from "vitest";
import { migrations } from "../../migrations";
import { migrateToLatest } from "../../src/db";
import { getArticle } from "../../src/news/articles";
import { getFeed } from "../../src/news/feeds";
import { searchArticles } from "../../src/news/search";
import { describeStores } from "../helpers/stores";

const before0003: MigrationProvider = {
  getMigrations: async () =>
    Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0003")),
};

describeStores("migration 0003_source_health", (store) => {
  it("moves page problems off the feed's error and re-indexes text with format characters", async () => {
    const db = await store.emptyDb();
    await migrateToLatest(db, before0003);
    await sql`INSERT INTO categories (id, slug, name_vi, name_en) VALUES (1, 'thoi-su', 'Thời sự', 'News')`.execute(
      db,
    );
    const at = "2026-01-26T00:00:00.000Z";
    const sources: [number, string | null, number][] = [
      [
        1,
        "3 problems; first: no story text found on https://x.vn/a.html; kept the feed's summary",
        0,
      ],
      [2, "story page https://x.vn/b.html: HTTP 503 Service Unavailable", 0],
      [3, "HTTP 500 Internal Server Error", 2],
      [4, "item skipped: no link", 0],
      [5, null, 0],
    ];
    for (const [id, error, failures] of sources) {
      await sql`INSERT INTO sources (id, url, category_id, last_error, last_error_at, failures_in_row, last_success_at)
          VALUES (${id}, ${`https://x.vn/rss/${id}.rss`}, 1, ${error}, ${error ? at : null}, ${failures}, ${at})`.execute(
        db,
      );
    }
    // A story stored by the old code: a zero-width joiner and a soft hyphen kept in its text,
    // and an index that split the words there.
    await sql`INSERT INTO articles (id, url, content_hash, title, lead, body, photos, published_at, fetched_at, updated_at, category_id)
        VALUES (7, 'https://x.vn/c.html', 'h', ${"Hà N\u200Dội đón khách"}, ${"Công t\u00ADác du lịch."},
          ${"Đoạn một về đối ng\u200Coại.\n\nĐoạn hai 👨\u200D👩\u200D👧."}, ${JSON.stringify([{ url: "https://x.vn/1.jpg", caption: "Phố c\u200Dổ." }])},
          ${at}, ${at}, ${at}, 1)`.execute(db);
    await sql`INSERT INTO article_categories (article_id, category_id, published_at) VALUES (7, 1, ${at})`.execute(
      db,
    );
    await sql`INSERT INTO article_search (rowid, title, lead, body) VALUES (7, 'ha n oi don khach', 'cong t ac du lich', 'doan mot ve doi ng oai doan hai pho c o')`.execute(
      db,
    );
    // The index of that time (searchArticles needs the later schema) does not find "ha noi".
    const { rows: before } =
      store.kind === "postgres"
        ? await sql`SELECT rowid FROM article_search
            WHERE document @@ to_tsquery('simple', 'ha & noi')`.execute(db)
        : await sql`SELECT rowid FROM article_search WHERE article_search MATCH '"ha" "noi"'`.execute(
            db,
          );
    expect(before).toEqual([]);

    expect(await migrateToLatest(db)).toContain("0003_source_health");

    expect(await getFeed(db, 1)).toMatchObject({
      lastError: null,
      lastErrorAt: null,
      pageProblems: 3,
      lastPageProblemAt: at,
    });
    expect((await getFeed(db, 1)).lastPageProblem).toMatch(/^3 problems; first: no story text/);
    expect(await getFeed(db, 2)).toMatchObject({ lastError: null, pageProblems: 1 });
    expect(await getFeed(db, 3)).toMatchObject({
      lastError: "HTTP 500 Internal Server Error",
      failuresInRow: 2,
      pageProblems: 0,
      lastPageProblem: null,
    });
    expect(await getFeed(db, 4)).toMatchObject({
      lastError: null,
      pageProblems: 1,
      lastPageProblem: "item skipped: no link",
    });
    expect(await getFeed(db, 5)).toMatchObject({ lastError: null, pageProblems: 0 });

    for (const query of ["ha noi", "cong tac", "doi ngoai", "pho co"]) {
      expect(
        (await searchArticles(db, query, { limit: 5 })).map((a) => a.id),
        query,
      ).toEqual([7]);
    }
    const story = await getArticle(db, 7);
    expect(story.title).toBe("Hà Nội đón khách");
    expect(story.lead).toBe("Công tác du lịch.");
    expect(story.body).toEqual(["Đoạn một về đối ngoại.", "Đoạn hai 👨\u200D👩\u200D👧."]);
    expect(story.photos).toEqual([{ url: "https://x.vn/1.jpg", caption: "Phố cổ." }]);
  });
});
