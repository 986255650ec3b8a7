/** The site's pages and feeds: RSS 2.0, Atom, JSON Feed, article and section pages. */
import { articlePath, type Newsroom } from "./newsroom";
import {
  cdata,
  escapeAttribute,
  escapeText,
  escapeXml,
  isoLocal,
  rfc822Local,
  slugify,
} from "./text";
import { CATEGORY_NAMES, CATEGORY_SLUGS, type CategorySlug, type FakeArticle } from "./types";

export const SITE_NAME = "Báo Lào Cai";

type Related = { title: string; lead: string; id: number };

export const isFeedSlug = (slug: string): boolean =>
  slug === "home" || (CATEGORY_SLUGS as readonly string[]).includes(slug);

export const feedTitle = (slug: string): string =>
  slug === "home"
    ? `${SITE_NAME} - Trang chủ`
    : `${SITE_NAME} - ${CATEGORY_NAMES[slug as CategorySlug]}`;

export class SiteRenderer {
  /** `base`: the site's URL, no trailing slash. */
  constructor(
    private readonly news: Newsroom,
    private readonly base: string,
  ) {}

  private urlOf(a: FakeArticle): string {
    return `${this.base}${articlePath(a)}`;
  }

  /** The article's link in that feed, with the feed's query string if it has one. */
  private feedLink(a: FakeArticle, slug: string): string {
    const query = a.feedQuery?.[slug as CategorySlug | "home"];
    return query ? `${this.urlOf(a)}?${query}` : this.urlOf(a);
  }

  private descriptionHtml(a: FakeArticle, link: string): string {
    return `<a href="${escapeAttribute(link)}"><img src="${escapeAttribute(this.base + a.image)}" /></a></br>${escapeText(a.lead)}`;
  }

  private rssItem(a: FakeArticle, slug: string): string {
    const link = this.feedLink(a, slug);
    return `<item>
<title>${cdata(a.title)}</title>
<link>${escapeXml(link)}</link>
<guid isPermaLink="true">${escapeXml(this.urlOf(a))}</guid>
<pubDate>${rfc822Local(a.publishedAt)}</pubDate>
<description>${cdata(this.descriptionHtml(a, link))}</description>
<dc:creator>${cdata(a.author)}</dc:creator>
</item>`;
  }

  /** The RSS feed; `extraItems` (raw XML) go before the stories. */
  rss(slug: string, extraItems = "", encoding = "UTF-8"): string {
    const base = this.base;
    const list = this.news.inFeed(slug);
    const channelLink = slug === "home" ? `${base}/` : `${base}/${slug}`;
    return `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${escapeXml(feedTitle(slug))}</title>
<link>${escapeXml(channelLink)}</link>
<description>Tin tức mới nhất của Báo và Phát thanh, Truyền hình Lào Cai</description>
<language>vi-VN</language>
<atom:link href="${escapeXml(`${base}/rss/${slug}.rss`)}" rel="self" type="application/rss+xml" />
<lastBuildDate>${this.news.lastModified(list).toUTCString()}</lastBuildDate>
${extraItems}${list.map((a) => this.rssItem(a, slug)).join("\n")}
</channel>
</rss>
`;
  }

  atom(slug: string): string {
    const base = this.base;
    const list = this.news.inFeed(slug);
    const entries = list.map((a) => {
      const link = this.feedLink(a, slug);
      return `<entry>
<title type="html">${escapeXml(a.title)}</title>
<link rel="alternate" type="text/html" href="${escapeXml(link)}"/>
<id>tag:baolaocai.vn,2026:post${a.id}</id>
<published>${isoLocal(a.publishedAt)}</published>
<updated>${isoLocal(a.publishedAt)}</updated>
<author><name>${escapeXml(a.author)}</name></author>
<summary type="html">${escapeXml(this.descriptionHtml(a, link))}</summary>
</entry>`;
    });
    return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">
<title>${escapeXml(feedTitle(slug))}</title>
<id>${escapeXml(`${base}/atom/${slug}.xml`)}</id>
<updated>${this.news.lastModified(list).toISOString()}</updated>
<link rel="self" href="${escapeXml(`${base}/atom/${slug}.xml`)}"/>
<link rel="alternate" type="text/html" href="${escapeXml(`${base}/${slug === "home" ? "" : slug}`)}"/>
${entries.join("\n")}
</feed>
`;
  }

  jsonFeed(slug: string): string {
    const base = this.base;
    return JSON.stringify(
      {
        version: "https://jsonfeed.org/version/1.1",
        title: feedTitle(slug),
        home_page_url: `${base}/`,
        feed_url: `${base}/json/${slug}.json`,
        language: "vi",
        items: this.news.inFeed(slug).map((a) => ({
          id: String(a.id),
          url: this.feedLink(a, slug),
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

  private nav(): string {
    return `<nav class="main-nav"><ul>
<li><a href="/">Trang chủ</a></li>
${CATEGORY_SLUGS.map((s) => `<li><a href="/${s}">${escapeText(CATEGORY_NAMES[s])}</a></li>`).join("\n")}
</ul></nav>`;
  }

  page(title: string, main: string, head = ""): string {
    return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(title)}</title>
${head}
<link rel="stylesheet" href="/css/main.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());</script>
</head>
<body>
<header class="site-header">
<div class="topbar"><span class="topbar__date">Thứ Ba, 27/01/2026</span> <a href="/rss">RSS</a></div>
<a class="site-header__logo" href="/"><img src="/img/logo.png" alt="${SITE_NAME}"></a>
${this.nav()}
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

  private relatedItem(r: Related): string {
    const known = this.news.find(r.id);
    const href = known ? articlePath(known) : `/${slugify(r.title)}-post${r.id}.html`;
    const image = known?.image ?? `/uploads/2026/01/26/post${r.id}.jpg`;
    return `<div class="related__item">
<a class="related__thumb" href="${escapeAttribute(href)}" title="${escapeAttribute(r.title)}"><img src="${escapeAttribute(image)}" alt="${escapeAttribute(r.title)}"><span class="related__thumb-title">${escapeText(r.title)}</span></a>
<h3 class="related__title"><a href="${escapeAttribute(href)}">${escapeText(r.title)}</a></h3>
<p class="related__sapo">${escapeText(r.lead)}</p>
</div>`;
  }

  articlePage(a: FakeArticle, options: { noBody?: boolean } = {}): string {
    const section = a.categories[0] ?? "thoi-su";
    const sameSection =
      a.related ??
      this.news
        .sorted()
        .filter((o) => o.id !== a.id && o.categories.includes(section))
        .slice(0, 4)
        .map((o) => ({ title: o.title, lead: o.lead, id: o.id }));
    const interesting = this.news
      .sorted()
      .filter((o) => o.id !== a.id && !o.categories.includes(section))
      .slice(0, 2)
      .map((o) => ({ title: o.title, lead: o.lead, id: o.id }));
    const body = a.body
      .map((block) =>
        typeof block === "string"
          ? `<p>${escapeText(block)}</p>`
          : `<figure class="image"><img src="${escapeAttribute(block.src)}" alt="${escapeAttribute(block.caption)}" width="800" height="533"><figcaption>${escapeText(block.caption)}</figcaption></figure>`,
      )
      .join("\n");
    const bodyBlock = options.noBody
      ? `<div class="video-player" data-src="/video/post${a.id}.m3u8"><script>loadPlayer('post${a.id}');</script></div>`
      : `<div class="article__body cms-body">
${body}
<p class="article__author-bottom"><strong>${escapeText(a.author)}</strong></p>
</div>`;
    const ld = JSON.stringify({
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: a.title,
      description: a.lead,
      datePublished: isoLocal(a.publishedAt),
      author: { "@type": "Person", name: a.author },
      image: [this.base + a.image],
    });
    const head = `<meta name="description" content="${escapeAttribute(a.lead)}">
<meta property="og:type" content="article">
<meta property="og:title" content="${escapeAttribute(a.title)}">
<meta property="og:description" content="${escapeAttribute(a.lead)}">
<meta property="og:image" content="${escapeAttribute(this.base + a.image)}">
<meta property="og:url" content="${escapeAttribute(this.urlOf(a))}">
<meta property="article:published_time" content="${isoLocal(a.publishedAt)}">
<link rel="canonical" href="${escapeAttribute(this.urlOf(a))}">
<script type="application/ld+json">${ld.replace(/</g, "\\u003c")}</script>`;
    const main = `<div class="breadcrumb"><a href="/">Trang chủ</a> <span>/</span> <a href="/${section}">${escapeText(CATEGORY_NAMES[section])}</a></div>
<article class="article" data-id="${a.id}">
<h1 class="article__title">${escapeText(a.title)}</h1>
<div class="article__meta">
<span class="article__author">${escapeText(a.author)}</span>
<time class="article__time" datetime="${isoLocal(a.publishedAt)}">${a.publishedAt}</time>
</div>
<div class="article__sapo">${escapeText(a.lead)}</div>
${bodyBlock}
<div class="ads ads--inline"><ins class="adsbygoogle" data-ad-slot="123"></ins><script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>
<div class="article__share"><a class="share share--fb" href="#">fb</a> <a class="share share--yt" href="#">yt</a> <a class="share share--zl" href="#">zl</a> <a class="share share--tw" href="#">tw</a></div>
<div class="article__tags"><span>Từ khóa:</span> <a href="/tag/lao-cai">Lào Cai</a></div>
</article>
<section class="box-related box-interest">
<h2 class="box-heading">Có thể bạn quan tâm</h2>
${interesting.map((r) => this.relatedItem(r)).join("\n")}
</section>
<section class="box-related box-same-section">
<h2 class="box-heading">Tin cùng chuyên mục</h2>
${sameSection.map((r) => this.relatedItem(r)).join("\n")}
</section>`;
    return this.page(`${a.title} - ${SITE_NAME}`, main, head);
  }

  listPage(slug: string | null): string {
    const list = slug ? this.news.inFeed(slug) : this.news.sorted();
    const items = list
      .map(
        (
          a,
        ) => `<div class="story"><a class="story__thumb" href="${escapeAttribute(articlePath(a))}"><img src="${escapeAttribute(a.image)}" alt=""></a>
<h3 class="story__title"><a href="${escapeAttribute(articlePath(a))}">${escapeText(a.title)}</a></h3>
<p class="story__sapo">${escapeText(a.lead)}</p></div>`,
      )
      .join("\n");
    const heading = slug ? CATEGORY_NAMES[slug as CategorySlug] : "Tin mới nhất";
    // A section names its feed, as newsrooms' pages do (feed readers find it there).
    const feedLink = slug
      ? `<link rel="alternate" type="application/rss+xml" title="${escapeAttribute(heading)}" href="/rss/${slug}.rss">`
      : "";
    return this.page(
      `${slug ? `${heading} - ` : ""}${SITE_NAME}`,
      `<h1 class="section-title">${escapeText(heading)}</h1>\n${items}`,
      feedLink,
    );
  }

  notFoundPage(): string {
    return this.page(
      `Không tìm thấy trang - ${SITE_NAME}`,
      "<h1>Không tìm thấy trang</h1><p>Trang bạn tìm không tồn tại hoặc đã bị xóa.</p>",
    );
  }
}
