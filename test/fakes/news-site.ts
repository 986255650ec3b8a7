/**
 * A fake Vietnamese provincial newspaper (shaped like baolaocai.vn and its CMS family) on
 * node:http at 127.0.0.1 and a random port: RSS 2.0, Atom and JSON feeds, article pages with
 * page furniture, conditional GET, and per-path failure modes for the unhappy paths.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { LocalHttpServer } from "./base/http";
import { misbehave, type SiteParts } from "./news/failures";
import { articlePath, Newsroom } from "./news/newsroom";
import { isFeedSlug, SiteRenderer } from "./news/render";
import { cacheableReply, HTML_TYPE, htmlReply, type Reply, sendReply } from "./news/reply";
import { loadStories } from "./news/stories";
import {
  CATEGORY_SLUGS,
  type FailMode,
  type FakeNewsSite,
  type RecordedRequest,
} from "./news/types";

export type * from "./news/types";
export {
  CATEGORY_NAMES,
  CATEGORY_SLUGS,
  EDITABLE_ARTICLE_ID,
  SEED_ARTICLE_ID,
  SHARED_ARTICLE_ID,
} from "./news/types";

export async function startFakeNewsSite(): Promise<FakeNewsSite> {
  const news = new Newsroom(loadStories());
  const failures = new Map<string, FailMode>();
  const requests: RecordedRequest[] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };

  const http = new LocalHttpServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end(`fake news site error: ${err instanceof Error ? err.message : String(err)}`);
      } else {
        res.destroy();
      }
    });
  });
  const base = await http.listen();
  const render = new SiteRenderer(news, base);
  const site: SiteParts = { base, news, render, route };

  /** The normal answer for a URL, before any failure mode. */
  function route(url: URL): Reply {
    const path = url.pathname;
    const feed = /^\/(rss|atom|json)\/([a-z-]+)\.(rss|xml|json)$/.exec(path);
    const slug = feed?.[2];
    if (feed && slug && isFeedSlug(slug)) {
      const modified = news.lastModified(news.inFeed(slug));
      switch (`${feed[1]}.${feed[3]}`) {
        case "rss.rss":
          return cacheableReply(render.rss(slug), "application/rss+xml; charset=utf-8", modified);
        case "atom.xml":
          return cacheableReply(render.atom(slug), "application/atom+xml; charset=utf-8", modified);
        case "json.json":
          return cacheableReply(
            render.jsonFeed(slug),
            "application/feed+json; charset=utf-8",
            modified,
          );
      }
    }
    const article = /^\/([a-z0-9-]+)-post(\d+)\.html$/.exec(path);
    if (article) {
      const a = news.find(Number(article[2]));
      if (!a) return notFound();
      if (a.slug !== article[1]) {
        return { status: 301, headers: { location: articlePath(a) }, body: "" };
      }
      return cacheableReply(render.articlePage(a), HTML_TYPE, news.lastModified([a]));
    }
    if (path === "/") return htmlReply(render.listPage(null));
    const section = path.slice(1);
    if ((CATEGORY_SLUGS as readonly string[]).includes(section)) {
      return htmlReply(render.listPage(section));
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

  function notFound(): Reply {
    return htmlReply(render.notFoundPage(), 404);
  }

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
    if (mode !== undefined && (await misbehave(req, res, url, mode, site))) return;
    sendReply(req, res, route(url));
  }

  const toPath = (p: string) =>
    /^https?:\/\//.test(p) ? new URL(p).pathname : (p.split("?")[0] ?? p);
  const pathOf = (id: number | string) => articlePath(news.get(Number(id)));

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
    articleUrl: (id) => `${base}${pathOf(id)}`,
    articlePath: pathOf,
    fail(path, mode) {
      failures.set(toPath(path), mode);
    },
    clearFailures() {
      failures.clear();
    },
    articles: () => news.sorted().map((a) => ({ ...a })),
    getArticle: (id) => ({ ...news.get(id) }),
    addArticle: (input) => ({ ...news.add(input) }),
    editArticle: (id, patch) => ({ ...news.edit(id, patch) }),
    close: () => http.close(),
  };
}
