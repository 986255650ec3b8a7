/**
 * Each Vietnamese newsroom layout bantin knows (src/news/extract/newsroom-layouts.ts), on a page
 * written here in that layout's shape (never copied from the site): headline, sapo, body,
 * photo with caption, byline and time, with the page's furniture (menus, related boxes,
 * embedded boxes, ads) left out.
 */
import { describe, expect, it } from "vitest";
import { extractArticlePage } from "../../src/news/extract";

const TITLE = "Lào Cai khánh thành cầu mới qua sông Hồng";
const LEAD =
  "Sáng 4/12, tỉnh Lào Cai khánh thành cây cầu thứ tư nối hai bờ sông Hồng, rút ngắn đường sang khu kinh tế cửa khẩu.";
const BODY = [
  "Cây cầu dài 480 mét, rộng 25 mét, được xây dựng trong hơn hai năm với tổng vốn đầu tư hơn 700 tỷ đồng từ ngân sách tỉnh.",
  "Theo Ban Quản lý dự án, cầu giúp giảm tải cho hai cây cầu cũ vốn thường xuyên ùn tắc vào giờ cao điểm và mùa du lịch.",
  "Người dân hai phường ven sông cho biết họ đã chờ cây cầu này nhiều năm, nhất là những hộ buôn bán ở chợ cửa khẩu.",
];
const CAPTION = "Cầu mới nhìn từ bờ trái sông Hồng.";
const PHOTO = "https://cdn.example.vn/2025/12/04/cau-moi.jpg";
const AUTHOR = "Minh Anh";
const p = (text: string) => `<p>${text}</p>`;

/** A page around the article: a site header with a menu, a related box, a footer. */
function page(site: string, article: string, head = ""): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>${TITLE} - ${site}</title><meta property="og:site_name" content="${site}">
<meta property="og:title" content="${TITLE}">${head}</head><body>
<header class="header"><a class="logo" href="/">${site}</a>
<nav class="menu"><a href="/thoi-su">Thời sự</a><a href="/kinh-te">Kinh tế</a><a href="/xa-hoi">Xã hội</a></nav></header>
<main>${article}
<section class="box-related"><h3>Tin liên quan</h3><ul><li><a href="/a.html">Khởi công đường nối cao tốc với cửa khẩu Kim Thành</a></li>
<li><a href="/b.html">Lào Cai đón hơn 5 triệu lượt khách trong 11 tháng</a></li></ul></section></main>
<footer class="footer">© ${site}. Giấy phép số 123/GP-BTTTT.</footer></body></html>`;
}

interface Case {
  name: string;
  html: string;
  url: string;
  publishedAt: string;
}

const CASES: Case[] = [
  {
    name: "VnExpress",
    url: "https://vnexpress.net/lao-cai-khanh-thanh-cau-moi-4990001.html",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "VnExpress",
      `<section class="page-detail top-detail"><div class="sidebar-1">
<div class="header-content"><ul class="breadcrumb"><li><a href="/thoi-su">Thời sự</a></li></ul><span class="date">Thứ năm, 4/12/2025, 08:00 (GMT+7)</span></div>
<h1 class="title-detail">${TITLE}</h1>
<p class="description"><span class="location-stamp">Lào Cai</span>${LEAD}</p>
<article class="fck_detail">
<p class="Normal">${BODY[0]}</p>
<figure data-size="true" itemprop="associatedMedia image"><div class="fig-picture"><picture><img itemprop="contentUrl" data-src="${PHOTO}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="cầu"></picture></div><figcaption itemprop="description"><p class="Image">${CAPTION}</p></figcaption></figure>
<p class="Normal">${BODY[1]}</p><p class="Normal">${BODY[2]}</p>
<p class="Normal" style="text-align:right;"><strong>${AUTHOR}</strong></p>
</article></div></section>`,
    ),
  },
  {
    name: "Tuổi Trẻ (VCCorp CMS)",
    url: "https://tuoitre.vn/lao-cai-khanh-thanh-cau-moi-20251229223200123.htm",
    publishedAt: "2025-12-29T15:32:00.000Z",
    html: page(
      "Báo Tuổi Trẻ",
      `<div class="detail__section"><div class="detail-top"><div class="detail-time"><div data-role="publishdate">29/12/2025 22:32 GMT+7</div></div></div>
<h1 class="detail-title article-title" data-role="title">${TITLE}</h1>
<div class="detail-cmain"><h2 class="detail-sapo" data-role="sapo">${LEAD}</h2>
<div class="detail-content afcbc-body" data-role="content">${p(BODY[0] as string)}
<figure class="VCSortableInPreviewMode" type="Photo"><div><a href="${PHOTO}"><img data-original="${PHOTO}" src="https://cdn.example.vn/thumb_w/640/2025/12/04/cau-moi.jpg" alt=""></a></div><figcaption class="PhotoCMS_Caption"><p>${CAPTION}</p></figcaption></figure>
${p(BODY[1] as string)}
<div class="VCSortableInPreviewMode" type="RelatedNewsBox"><a href="/x.htm">Cầu cũ qua sông Hồng xuống cấp sau mùa lũ</a></div>
${p(BODY[2] as string)}</div>
<div class="author-info"><a class="name" href="/tac-gia/minh-anh.htm">${AUTHOR}</a></div></div></div>`,
    ),
  },
  {
    name: "Thanh Niên (VCCorp CMS, photographer in the caption)",
    url: "https://thanhnien.vn/lao-cai-khanh-thanh-cau-moi-185251204080000000.htm",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "Báo Thanh Niên",
      `<div class="detail-cmain"><div class="detail-time"><div data-role="publishdate">04/12/2025 08:00 GMT+7</div></div>
<h1 class="detail-title" data-role="title">${TITLE}</h1><h2 class="detail-sapo" data-role="sapo">${LEAD}</h2>
<div class="detail-content afcbc-body" data-role="content">${BODY.slice(0, 2).map(p).join("")}
<figure class="VCSortableInPreviewMode" type="Photo"><div><img src="${PHOTO}" alt=""></div><figcaption class="PhotoCMS_Caption"><p>${CAPTION}</p><p class="PhotoCMS_Author">ẢNH: NGỌC LAN</p></figcaption></figure>
${p(BODY[2] as string)}
<div class="VCSortableInPreviewMode" type="insertembedcode"><p>Mời bạn đọc xem thêm video</p></div></div>
<div class="detail-author"><div class="author-info"><a class="name" href="/tac-gia/minh-anh.htm">${AUTHOR}</a></div></div></div>`,
    ),
  },
  {
    name: "Người Lao Động (VCCorp CMS)",
    url: "https://nld.com.vn/lao-cai-khanh-thanh-cau-moi-196251204080000000.htm",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "Báo Người Lao Động",
      `<div class="detail-cmain"><h1 class="detail-title" data-role="title">${TITLE}</h1>
<div class="detail-time"><div data-role="publishdate">04/12/2025 08:00 GMT+7</div></div>
<h2 class="detail-sapo" data-role="sapo">${LEAD}</h2>
<div class="detail-content afcbc-body" data-role="content">${p(BODY[0] as string)}
<figure class="VCSortableInPreviewMode" type="Photo"><div><img src="${PHOTO}" alt=""></div><figcaption class="PhotoCMS_Caption"><p>${CAPTION}</p></figcaption></figure>
${BODY.slice(1).map(p).join("")}</div>
<div class="author-info"><p class="name" data-role="author">${AUTHOR}</p></div></div>`,
    ),
  },
  {
    name: "Dân trí",
    url: "https://dantri.com.vn/xa-hoi/lao-cai-khanh-thanh-cau-moi-20250509110200000.htm",
    publishedAt: "2025-05-09T04:02:00.000Z",
    html: page(
      "Báo Dân trí",
      `<article class="singular-container"><h1 class="title-page detail">${TITLE}</h1>
<div class="author-wrap"><div class="author-name"><a href="/tac-gia/minh-anh.htm"><b>${AUTHOR}</b></a></div>
<time class="author-time" datetime="2025-05-09 11:02">Thứ sáu, 09/05/2025 - 11:02</time></div>
<h2 class="singular-sapo">(Dân trí) - ${LEAD}</h2>
<div class="singular-content">${p(BODY[0] as string)}
<figure class="image align-center"><img data-src="${PHOTO}" src="data:image/png;base64,iVBORw0KGgo=" alt=""><figcaption><p>${CAPTION}</p></figcaption></figure>
${BODY.slice(1).map(p).join("")}</div></article>`,
    ),
  },
  {
    name: "VietNamNet",
    url: "https://vietnamnet.vn/lao-cai-khanh-thanh-cau-moi-2470001.html",
    publishedAt: "2025-12-26T15:10:00.000Z",
    html: page(
      "VietNamNet",
      `<div class="content-detail"><div class="bread-crumb-detail"><ul><li><a href="/thoi-su">Thời sự</a></li></ul>
<div class="bread-crumb-detail__time">Thứ Sáu, 26/12/2025 - 22:10</div></div>
<h1 class="content-detail-title">${TITLE}</h1><h2 class="content-detail-sapo sm-sapo-mb-0">${LEAD}</h2>
<div id="maincontent" class="maincontent main-content">${p(BODY[0] as string)}
<figure class="image"><img src="${PHOTO}" alt=""><figcaption>${CAPTION}</figcaption></figure>
${BODY.slice(1).map(p).join("")}</div>
<div class="article-detail-author__main"><a href="/tac-gia/minh-anh" title="${AUTHOR}">${AUTHOR}</a></div></div>`,
    ),
  },
  {
    name: "ZNews",
    url: "https://znews.vn/lao-cai-khanh-thanh-cau-moi-post1500001.html",
    publishedAt: "2024-11-22T19:30:00.000Z",
    html: page(
      "ZNEWS.VN",
      `<article article-id="1500001"><header class="the-article-header"><p class="the-article-category"><a href="/thoi-su.html">Thời sự</a></p>
<h1 class="the-article-title">${TITLE}</h1><ul class="the-article-meta"><li class="the-article-publish">02:30 23/11/2024</li></ul></header>
<section class="main"><p class="the-article-summary">${LEAD}</p>
<div class="the-article-body">${p(BODY[0] as string)}
<table class="picture" align="center"><tbody><tr><td class="pic"><img src="${PHOTO}" alt=""></td></tr><tr><td class="pCaption caption"><p>${CAPTION}</p></td></tr></tbody></table>
${BODY.slice(1).map(p).join("")}</div>
<div class="the-article-credit"><p class="author">${AUTHOR}</p></div></section></article>`,
    ),
  },
  {
    name: "Lao Động",
    url: "https://laodong.vn/xa-hoi/lao-cai-khanh-thanh-cau-moi-1500001.ldo",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "Báo Lao Động",
      `<article class="article-detail"><h1 class="title">${TITLE}</h1>
<div class="meta"><span class="author">${AUTHOR}</span> <span class="time">Thứ năm, 04/12/2025 08:00 (GMT+7)</span></div>
<div class="chappeau"><p>${LEAD}</p></div>
<div id="gallery-ctt" class="art-body" itemprop="articleBody">${p(BODY[0] as string)}
<figure class="image"><img src="${PHOTO}" alt=""><figcaption>${CAPTION}</figcaption></figure>
${p(BODY[1] as string)}
<div class="tin-lien-quan"><a href="/c.ldo">Cầu Phố Mới được sửa chữa sau 30 năm sử dụng</a></div>
${p(BODY[2] as string)}</div></article>`,
    ),
  },
  {
    name: "VOV",
    url: "https://vov.vn/xa-hoi/lao-cai-khanh-thanh-cau-moi-post1150001.vov",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "VOV.VN",
      `<div class="row article-title"><h1>${TITLE}</h1></div>
<div class="row article-meta"><div class="col"><div class="date-time">04.12.2025 – 08:00</div></div></div>
<div class="row article-summary"><div class="col"><div>VOV.VN - ${LEAD}</div></div></div>
<div class="row article-content"><div class="col"><div class="text-long">${p(BODY[0] as string)}
<figure class="gallery-embed embedded-entity image"><div data-title="cau"><article><picture><img src="${PHOTO}" alt=""></picture></article></div><figcaption>${CAPTION}</figcaption></figure>
${p(BODY[1] as string)}<div class="block-ads"><a href="/ads">Quảng cáo</a></div>${p(BODY[2] as string)}
<p style="text-align: right;"><strong>${AUTHOR}</strong></p></div></div></div>`,
    ),
  },
  {
    name: "VTV (VCCorp CMS)",
    url: "https://vtv.vn/xa-hoi/lao-cai-khanh-thanh-cau-moi-20251204080000000.htm",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "VTV.VN",
      `<div class="news_detail"><h1 class="title_detail">${TITLE}</h1><span class="time">04/12/2025 08:00 GMT+7</span>
<h2 class="sapo">${LEAD}</h2>
<div id="entry-body"><div class="ta-justify">${p(BODY[0] as string)}
<div class="VCSortableInPreviewMode" type="Photo"><div><img src="${PHOTO}" alt=""></div><div class="PhotoCMS_Caption"><p>${CAPTION}</p></div></div>
${BODY.slice(1).map(p).join("")}<p style="text-align: right;"><b>${AUTHOR}</b></p></div></div></div>`,
    ),
  },
  {
    name: "VTC News",
    url: "https://vtcnews.vn/lao-cai-khanh-thanh-cau-moi-ar950001.html",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "VTC News",
      `<section class="nd-detail"><h1 class="font28 bold lh-1-3">${TITLE}</h1>
<div class="info"><span class="time-update mr10">Thứ Năm, 04/12/2025 08:00:00 (GMT+7)</span></div>
<h2 class="font18 bold inline-nb">(VTC News) - ${LEAD}</h2>
<div class="edittor-content box-cont mt15 clearfix">${p(BODY[0] as string)}
<figure class="expNoEdit"><img data-src="${PHOTO}" src="/images/loading.gif" alt=""><figcaption>${CAPTION}</figcaption></figure>
${p(BODY[1] as string)}<p class="expEdit"><a href="/d.html">Xem thêm: Cầu Cốc Lếu sáng đèn</a></p>${p(BODY[2] as string)}
<p style="text-align:right"><strong>${AUTHOR}</strong></p></div></section>`,
    ),
  },
  {
    name: "Nhân Dân (EPI CMS, table.picture)",
    url: "https://nhandan.vn/lao-cai-khanh-thanh-cau-moi-post900001.html",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "Báo Nhân Dân",
      `<div class="article"><h1 class="article__title cms-title">${TITLE}</h1>
<div class="article__meta"><time class="time" datetime="2025-12-04T08:00:00+0700">Thứ Năm, 04-12-2025, 08:00</time></div>
<div class="article__sapo cms-desc">${LEAD}</div>
<div class="article__body zce-content-body cms-body">${p(BODY[0] as string)}
<table class="picture" align="center"><tbody><tr><td class="pic"><img data-src="${PHOTO}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></td></tr><tr><td class="caption"><p>${CAPTION}</p></td></tr></tbody></table>
${p(BODY[1] as string)}<div class="notebox cms-note"><p>Cầu có tải trọng thiết kế HL93, thiết kế vĩnh cửu.</p></div>${p(BODY[2] as string)}
<p style="text-align:right"><strong>${AUTHOR}</strong></p></div></div>`,
    ),
  },
  {
    name: "Báo Lào Cai (EPI CMS, figure)",
    url: "https://baolaocai.vn/lao-cai-khanh-thanh-cau-moi-post900028.html",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "Báo Lào Cai",
      `<article class="article"><h1 class="article__title cms-title">${TITLE}</h1>
<div class="article__meta"><time class="time" datetime="2025-12-04T08:00:00+0700">04/12/2025 08:00</time></div>
<h2 class="article__sapo cms-desc">${LEAD}</h2>
<div class="article__body zce-content-body cms-body">${p(BODY[0] as string)}
<figure class="image"><img data-src="${PHOTO}" src="/images/blank.gif" alt=""><figcaption>${CAPTION}</figcaption></figure>
${BODY.slice(1).map(p).join("")}<p style="text-align: right;"><strong>${AUTHOR}</strong></p></div></article>`,
    ),
  },
  {
    name: "Provincial longform (Công Lý, Hà Nội Mới …)",
    url: "https://hanoimoi.vn/lao-cai-khanh-thanh-cau-moi-700001.html",
    publishedAt: "2025-12-04T01:00:00.000Z",
    html: page(
      "Báo Hà Nội Mới",
      `<div class="sc-longform-header"><h1 class="sc-longform-header-title block-sc-title">${TITLE}</h1>
<div class="sc-longform-header-meta"><span class="sc-longform-header-author">${AUTHOR}</span> <span class="sc-longform-header-date">04/12/2025 08:00</span></div>
<div class="sc-longform-header-sapo">${LEAD}</div></div>
<div class="b-maincontent">${p(BODY[0] as string)}
<figure class="image"><img src="${PHOTO}" alt=""><figcaption>${CAPTION}</figcaption></figure>
${BODY.slice(1).map(p).join("")}</div>`,
    ),
  },
];

describe("Vietnamese newsrooms' layouts", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const story = extractArticlePage(c.html, c.url, null, {
      now: new Date("2026-01-01T00:00:00Z"),
    });
    expect(story?.title).toBe(TITLE);
    expect(story?.lead).toBe(LEAD);
    expect(story?.body).toEqual(BODY);
    expect(story?.photos).toEqual([{ url: PHOTO, caption: CAPTION }]);
    expect(story?.author).toBe(AUTHOR);
    expect(story?.publishedAt).toBe(c.publishedAt);
  });
});
