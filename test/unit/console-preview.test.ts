/**
 * The console's preview of a Telegram message: the renderer's few tags kept and balanced,
 * anything else (and any link that is not http or https) shown as text.
 */
import { describe, expect, it } from "vitest";
import { telegramHtmlToPage } from "../../src/http/console/preview";

const page = (telegramHtml: string) => telegramHtmlToPage(telegramHtml).text;

describe("telegramHtmlToPage", () => {
  it("keeps the renderer's tags and web links", () => {
    expect(
      page('<b>TIN NÓNG</b>\n<i>Mưa</i> <a href="https://baolaocai.vn/a?x=1&amp;y=2">bài</a>'),
    ).toBe(
      '<b>TIN NÓNG</b>\n<i>Mưa</i> <a href="https://baolaocai.vn/a?x=1&amp;y=2" rel="noopener noreferrer" target="_blank">bài</a>',
    );
  });

  it("shows other tags, attributes and escaped text as text", () => {
    expect(page('<script>alert(1)</script><img src=x onerror="alert(1)">')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror="alert(1)"&gt;',
    );
    expect(page("Giá &lt;5% &amp; tăng &lt;b&gt;")).toBe("Giá &lt;5% &amp; tăng &lt;b&gt;");
    expect(page('<b class="x">đậm</b>')).toBe('&lt;b class="x"&gt;đậm');
  });

  it("never keeps a link that is not http or https", () => {
    for (const href of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,x",
      "&#106;avascript:x",
    ]) {
      const out = page(`<a href="${href}">x</a>`);
      expect(out).toBe("<a>x</a>");
    }
  });

  it("balances tags: closes what is left open, drops a closing tag nothing opened", () => {
    expect(page("<b>đậm")).toBe("<b>đậm</b>");
    expect(page("thường</pre></b>")).toBe("thường");
    expect(page("<b><i>cả hai</b> rồi")).toBe("<b><i>cả hai</i></b> rồi");
    expect(page('<a href="https://x.vn"><b>liên kết')).toBe(
      '<a href="https://x.vn" rel="noopener noreferrer" target="_blank"><b>liên kết</b></a>',
    );
  });
});
