import { describe, expect, it } from "vitest";
import { declaredFeeds } from "../../src/news/probe-feed";

describe("the feeds a web page names", () => {
  it("reads <link rel=alternate> feeds, absolute, once each, and nothing else", () => {
    const page = `<html><head>
      <link rel="alternate" hreflang="en" href="/en/">
      <link rel="alternate" type="application/rss+xml" title="Thời sự &amp; Chính trị" href="/rss/thoi-su.rss">
      <link type='application/atom+xml' rel='alternate feed' href='https://other.example/atom.xml' title='Atom'>
      <link rel="alternate" type="application/feed+json" href=/feed.json>
      <link rel="stylesheet" type="text/css" href="/main.css">
      <link rel="alternate" type="application/rss+xml" href="/rss/thoi-su.rss">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body></body></html>`;
    expect(declaredFeeds(page, "https://baolaocai.vn/thoi-su")).toEqual([
      { url: "https://baolaocai.vn/rss/thoi-su.rss", title: "Thời sự & Chính trị" },
      { url: "https://other.example/atom.xml", title: "Atom" },
      { url: "https://baolaocai.vn/feed.json", title: "" },
    ]);
    expect(declaredFeeds("<html><head><title>x</title></head></html>", "https://a.vn/")).toEqual(
      [],
    );
  });
});
