/**
 * Fields feeds carry outside RSS 2.0's core: Dublin Core, dcterms, iTunes and Media RSS as
 * fallbacks; namespaces bound to any prefix (or to none); Atom 0.3 dates; Atom text constructs
 * read as RFC 4287 says (text, html, xhtml in document order).
 */
import { describe, expect, it } from "vitest";
import { parseFeed } from "../../src/news/feed/parse-feed";

const FEED_URL = "https://example.org/feed.xml";

describe("feed fields beyond the core", () => {
  it("reads title, description, author and date from Dublin Core and dcterms", () => {
    const feed = parseFeed(
      `<?xml version="1.0"?>
      <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
        <channel><dc:title>Báo Lào Cai</dc:title>
          <item><link>https://example.org/a</link>
            <dc:title>Mưa lớn ở Sa Pa</dc:title>
            <dc:description>Nhiều tuyến đường bị sạt lở.</dc:description>
            <dc:creator>Minh Anh</dc:creator>
            <dcterms:issued>2026-12-03T08:15:00+07:00</dcterms:issued>
          </item>
          <item><link>https://example.org/b</link><title>B</title>
            <dcterms:modified>2026-12-02T01:00:00Z</dcterms:modified></item>
        </channel></rss>`,
      FEED_URL,
    );
    expect(feed.title).toBe("Báo Lào Cai");
    expect(feed.items[0]).toMatchObject({
      title: "Mưa lớn ở Sa Pa",
      lead: "Nhiều tuyến đường bị sạt lở.",
      author: "Minh Anh",
      publishedAt: "2026-12-03T01:15:00.000Z",
    });
    expect(feed.items[1]?.publishedAt).toBe("2026-12-02T01:00:00.000Z");
  });

  it("reads namespaces bound to other prefixes than the usual ones", () => {
    const feed = parseFeed(
      `<rss version="2.0" xmlns:d="http://purl.org/dc/elements/1.1/" xmlns:m="http://search.yahoo.com/mrss/">
        <channel><title>T</title>
          <item><link>https://example.org/a</link><d:title>Tiêu đề</d:title><d:date>2026-12-03T08:00:00Z</d:date>
            <m:content url="https://example.org/a.jpg" medium="image"><m:description>Ảnh đẹp</m:description></m:content>
          </item></channel></rss>`,
      FEED_URL,
    );
    expect(feed.items[0]).toMatchObject({
      title: "Tiêu đề",
      publishedAt: "2026-12-03T08:00:00.000Z",
      imageUrl: "https://example.org/a.jpg",
      lead: "Ảnh đẹp",
    });
  });

  it("reads iTunes and Media RSS fields of a programme feed", () => {
    const feed = parseFeed(
      `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/">
        <channel><title>Phát thanh Lào Cai</title>
          <item><link>https://example.org/p1</link><title>Bản tin sáng</title>
            <itunes:summary>Tin tức buổi sáng ngày 3/12.</itunes:summary>
            <itunes:author>Đài PT-TH Lào Cai</itunes:author>
            <pubDate>Thu, 03 Dec 2026 06:00:00 +0700</pubDate></item>
          <item><link>https://example.org/p2</link>
            <media:group><media:title>Thời sự tối</media:title><media:description>Chương trình thời sự.</media:description></media:group></item>
        </channel></rss>`,
      FEED_URL,
    );
    expect(feed.items[0]).toMatchObject({
      lead: "Tin tức buổi sáng ngày 3/12.",
      author: "Đài PT-TH Lào Cai",
    });
    expect(feed.items[1]).toMatchObject({ title: "Thời sự tối", lead: "Chương trình thời sự." });
  });

  it("reads an RSS 1.0 feed whose RSS elements carry a prefix", () => {
    const feed = parseFeed(
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/">
        <rss:channel rdf:about="https://example.org/"><rss:title>Kênh</rss:title></rss:channel>
        <rss:item rdf:about="https://example.org/x"><rss:title>Một</rss:title><rss:link>https://example.org/x</rss:link></rss:item>
        <rss:item rdf:about="https://example.org/y"><rss:title>Hai</rss:title><rss:link>https://example.org/y</rss:link></rss:item>
      </rdf:RDF>`,
      FEED_URL,
    );
    expect(feed.title).toBe("Kênh");
    expect(feed.items.map((i) => i.title)).toEqual(["Một", "Hai"]);
  });

  it("reads an Atom feed under a prefix, and Atom 0.3's issued and modified", () => {
    const prefixed = parseFeed(
      `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>A</a:title>
        <a:entry><a:title>Tin một</a:title><a:link href="https://example.org/1"/><a:id>1</a:id>
          <a:updated>2026-12-01T00:00:00Z</a:updated></a:entry></a:feed>`,
      FEED_URL,
    );
    expect(prefixed.items[0]).toMatchObject({
      title: "Tin một",
      link: "https://example.org/1",
      publishedAt: "2026-12-01T00:00:00.000Z",
    });
    const old = parseFeed(
      `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Cũ</title>
        <entry><title>Bài</title><link rel="alternate" type="text/html" href="https://example.org/2"/>
          <issued>2004-05-01T10:00:00+07:00</issued><modified>2004-05-02T00:00:00Z</modified>
          <summary type="text/html" mode="escaped">&lt;p&gt;Tóm tắt&lt;/p&gt;</summary></entry></feed>`,
      FEED_URL,
    );
    expect(old.items[0]).toMatchObject({
      publishedAt: "2004-05-01T03:00:00.000Z",
      lead: "Tóm tắt",
    });
  });

  it("reads Atom text constructs as RFC 4287 says: text, html and xhtml", () => {
    const feed = parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
        <entry><title type="text">Thẻ &lt;blink&gt; đã lỗi thời</title><link href="https://example.org/t"/><id>t</id>
          <summary>Dùng &lt;blink&gt; là sai.</summary></entry>
        <entry><title type="html">&lt;b&gt;Đậm&lt;/b&gt; và thường</title><link href="https://example.org/h"/><id>h</id>
          <summary type="html">&lt;p&gt;Đoạn &lt;em&gt;một&lt;/em&gt;&lt;/p&gt;</summary></entry>
        <entry><title>X</title><link href="https://example.org/x"/><id>x</id>
          <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Thứ nhất</p><b>thứ hai</b><script>alert(1)</script><p>thứ ba &amp; cuối</p></div></content></entry>
      </feed>`,
      FEED_URL,
    );
    const [text, html, xhtml] = feed.items;
    expect(text?.title).toBe("Thẻ <blink> đã lỗi thời");
    expect(text?.lead).toBe("Dùng <blink> là sai.");
    expect(html?.title).toBe("Đậm và thường");
    expect(html?.lead).toBe("Đoạn một");
    expect(xhtml?.lead).toBe("Thứ nhất thứ hai thứ ba & cuối");
  });
});

describe("audio and video a feed carries", () => {
  it("reads RSS enclosures, Media RSS, Atom enclosure links and JSON Feed attachments", () => {
    const rss = parseFeed(
      `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>PT-TH</title>
        <item><title>Bản tin sáng</title><link>https://example.org/p1</link>
          <enclosure url="https://cdn.example.org/p1.mp3" length="4800000" type="audio/mpeg"/>
          <enclosure url="https://cdn.example.org/p1.jpg" length="120000" type="image/jpeg"/>
          <media:content url="https://cdn.example.org/p1.mp3" medium="audio"/>
          <media:group><media:content url="https://cdn.example.org/p1.mp4" type="video/mp4" fileSize="30000000"/></media:group>
        </item>
        <item><title>Thời sự tối</title><link>https://example.org/p2</link>
          <enclosure url="/media/p2.m4a" length="" type=""/></item>
      </channel></rss>`,
      FEED_URL,
    );
    expect(rss.items[0]?.media).toEqual([
      { url: "https://cdn.example.org/p1.mp3", kind: "audio", type: "audio/mpeg", bytes: 4800000 },
      { url: "https://cdn.example.org/p1.mp4", kind: "video", type: "video/mp4", bytes: 30000000 },
    ]);
    expect(rss.items[0]?.imageUrl).toBe("https://cdn.example.org/p1.jpg");
    expect(rss.items[1]?.media).toEqual([
      { url: "https://example.org/media/p2.m4a", kind: "audio", type: "", bytes: null },
    ]);

    const atom = parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
        <entry><title>Phóng sự</title><id>a</id><link href="https://example.org/a"/>
          <link rel="enclosure" type="video/mp4" length="1000" href="https://cdn.example.org/a.mp4"/></entry></feed>`,
      FEED_URL,
    );
    expect(atom.items[0]?.media).toEqual([
      { url: "https://cdn.example.org/a.mp4", kind: "video", type: "video/mp4", bytes: 1000 },
    ]);

    const json = parseFeed(
      JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "T",
        items: [
          {
            id: "1",
            url: "https://example.org/j",
            title: "Podcast",
            content_text: "x",
            attachments: [
              { url: "https://cdn.example.org/j.mp3", mime_type: "audio/mpeg", size_in_bytes: 99 },
            ],
          },
        ],
      }),
      FEED_URL,
    );
    expect(json.items[0]?.media).toEqual([
      { url: "https://cdn.example.org/j.mp3", kind: "audio", type: "audio/mpeg", bytes: 99 },
    ]);
  });
});

describe("RSS 0.90", () => {
  it("reads its items, in the Netscape namespace beside an rdf:RDF root", () => {
    const feed = parseFeed(
      `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
        <channel><title>Cũ</title><link>https://example.org/</link></channel>
        <item><title>Tin một</title><link>https://example.org/1</link></item>
        <item><title>Tin hai</title><link>https://example.org/2</link></item></rdf:RDF>`,
      FEED_URL,
    );
    expect(feed.items.map((i) => i.title)).toEqual(["Tin một", "Tin hai"]);
  });
});
