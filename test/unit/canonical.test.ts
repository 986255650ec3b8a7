import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalUrl, contentHash } from "../../src/news/canonical";

describe("canonicalUrl", () => {
  it("lower-cases scheme and host, drops default port and fragment", () => {
    expect(canonicalUrl("HTTPS://BaoLaoCai.VN:443/Tin-Tuc-post1.html#binh-luan")).toBe(
      "https://baolaocai.vn/Tin-Tuc-post1.html",
    );
    expect(canonicalUrl("http://baolaocai.vn:80/a")).toBe("http://baolaocai.vn/a");
    expect(canonicalUrl("http://127.0.0.1:8080/a")).toBe("http://127.0.0.1:8080/a");
  });

  it("drops tracking parameters", () => {
    const base = "https://baolaocai.vn/gan-ket-post480103.html";
    for (const query of [
      "utm_source=rss&utm_medium=xa-hoi",
      "fbclid=IwAR0abc",
      "gclid=xyz",
      "zarsrc=30",
      "zalo_id=1&zalo_campaign=2",
      "_ga=2.1234",
      "ref=home",
      "source=rss",
      "from=zalo",
      "UTM_Campaign=Tet",
    ]) {
      expect(canonicalUrl(`${base}?${query}`)).toBe(base);
    }
  });

  it("keeps meaningful parameters, sorted, with their original encoding", () => {
    expect(canonicalUrl("https://x.vn/search?q=l%C3%A0o+cai&page=2&utm_source=rss&a=1")).toBe(
      "https://x.vn/search?a=1&page=2&q=l%C3%A0o+cai",
    );
    expect(canonicalUrl("https://x.vn/a?source=baolaocai")).toBe("https://x.vn/a?source=baolaocai");
    expect(canonicalUrl("https://x.vn/a?id=2&id=1")).toBe("https://x.vn/a?id=1&id=2");
  });

  it("strips a bare trailing ? and empty pairs", () => {
    expect(canonicalUrl("https://x.vn/a?")).toBe("https://x.vn/a");
    expect(canonicalUrl("https://x.vn/a?&&b=1&")).toBe("https://x.vn/a?b=1");
  });

  it("treats the same story from two feeds as one URL", () => {
    const plain = "https://baolaocai.vn/gan-ket-post480103.html";
    const tracked =
      "https://BAOLAOCAI.vn/gan-ket-post480103.html?utm_source=rss&utm_medium=feed#top";
    expect(canonicalUrl(tracked)).toBe(canonicalUrl(plain));
  });

  it("returns non-URLs trimmed and otherwise unchanged", () => {
    expect(canonicalUrl("  not a url ")).toBe("not a url");
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const once = canonicalUrl(url);
        expect(canonicalUrl(once)).toBe(once);
      }),
    );
  });
});

describe("contentHash", () => {
  const story = {
    title: "Nâng cao chất lượng công tác thông tin đối ngoại",
    lead: "Trong 2 ngày (7 - 8/12), tại tỉnh Hòa Bình diễn ra Hội nghị.",
    body: ["Đoạn một.", "Đoạn hai."],
  };

  it("is sha256 hex", () => {
    expect(contentHash(story)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ignores Unicode form, whitespace and empty paragraphs", () => {
    expect(
      contentHash({
        title: `  ${story.title.normalize("NFD")}\n`,
        lead: story.lead.replace(/ /g, "  \u00a0"),
        body: ["", " Đoạn một. ", "\n", "Đoạn   hai."],
      }),
    ).toBe(contentHash(story));
  });

  it("changes when the text changes or moves between fields", () => {
    const base = contentHash(story);
    expect(contentHash({ ...story, body: ["Đoạn một.", "Đoạn ba."] })).not.toBe(base);
    expect(contentHash({ ...story, title: "Khác" })).not.toBe(base);
    expect(contentHash({ title: "a", lead: "b", body: [] })).not.toBe(
      contentHash({ title: "a b", lead: "", body: [] }),
    );
    expect(contentHash({ title: "a", lead: "", body: ["b"] })).not.toBe(
      contentHash({ title: "a", lead: "b", body: [] }),
    );
  });
});
