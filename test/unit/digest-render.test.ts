import { describe, expect, it } from "vitest";
import {
  composeDigest,
  type Digest,
  type DigestStory,
  type DigestTopic,
} from "../../src/digest/compose";
import { digestMessage } from "../../src/digest/render";
import { MAX_ACTION_BYTES } from "../../src/message/actions";
import { isLinkButton, type OutMessage, spanText } from "../../src/message/model";
import { renderPlain } from "../../src/message/render/plain";
import { MESSAGE_LIMIT, renderTelegramHtml } from "../../src/message/render/telegram-html";
import { splitPlainText, visibleLength } from "../../src/text/split";

const TOPIC_NAMES: [string, string, string][] = [
  ["thoi-su", "Thời sự", "News"],
  ["the-gioi", "Thế giới", "World"],
  ["kinh-doanh", "Kinh doanh", "Business"],
  ["bat-dong-san", "Bất động sản", "Property"],
  ["khoa-hoc", "Khoa học", "Science"],
  ["giai-tri", "Giải trí", "Entertainment"],
  ["the-thao", "Thể thao", "Sport"],
  ["phap-luat", "Pháp luật", "Law"],
  ["giao-duc", "Giáo dục", "Education"],
  ["suc-khoe", "Sức khỏe", "Health"],
  ["doi-song", "Đời sống", "Life"],
  ["du-lich", "Du lịch", "Travel"],
];

function topics(count: number): DigestTopic[] {
  return Array.from({ length: count }, (_, i) => {
    const [slug, vi, en] = TOPIC_NAMES[i % TOPIC_NAMES.length] as [string, string, string];
    const suffix = i < TOPIC_NAMES.length ? "" : `-${i}`;
    return { id: i + 1, slug: `${slug}${suffix}`, name: { vi: `${vi}${suffix}`, en } };
  });
}

const LONG_TITLE =
  "Thủ tướng yêu cầu các bộ, ngành và địa phương khẩn trương triển khai đồng bộ các giải pháp " +
  "ứng phó với mưa lũ, sạt lở đất ở miền Trung; bảo đảm an toàn tính mạng, tài sản của người dân " +
  "và sớm khắc phục hậu quả để ổn định đời sống";

/** `perTopic + extra` stories per topic, long Vietnamese titles with markup characters. */
function stories(topicList: DigestTopic[], perTopic: number, extra = 0): DigestStory[] {
  const out: DigestStory[] = [];
  let id = 1000;
  for (const t of topicList) {
    for (let k = 0; k < perTopic + extra; k++) {
      id++;
      out.push({
        id,
        title: `${LONG_TITLE} <số ${id}> & “${t.name.vi}” "trích dẫn" #${id}`,
        url: `https://tintuc.example.vn/${t.slug}/bai-${id}.html?utm=a&ref="x"`,
        publishedAt: new Date(Date.UTC(2026, 0, 27, 0, 59 - k, id % 60)).toISOString(),
        topicIds: [t.id],
      });
    }
  }
  return out;
}

const VI = { locale: "vi", timeZone: "Asia/Ho_Chi_Minh", localDate: "2026-01-27" } as const;
const EN = { ...VI, locale: "en" } as const;

function bigDigest(topicCount = 12, perTopic = 5, extra = 2): Digest {
  const list = topics(topicCount);
  return composeDigest({ topics: list, stories: stories(list, perTopic, extra), perTopic });
}

function textOf(message: OutMessage): string {
  return message.lines.map((line) => line.map(spanText).join("")).join("\n");
}

/** Checks Telegram HTML the way its parser would: known tags, nested, entities only. */
function expectWellFormedHtml(html: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)(b|i|a)(?: href="([^"<>]*)")?>/y;
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === "<") {
      tag.lastIndex = i;
      const m = tag.exec(html);
      expect(m, `bad tag at ${i}: ${html.slice(i, i + 30)}`).not.toBeNull();
      if (!m) return;
      const [raw, close, name = "", href] = m;
      if (close) expect(stack.pop()).toBe(name);
      else {
        if (name === "a") expect(href).toBeTruthy();
        stack.push(name);
      }
      i += raw.length;
    } else if (ch === "&") {
      const m = /^&(lt|gt|amp|quot);/.exec(html.slice(i, i + 6));
      expect(m, `bare & at ${i}: ${html.slice(i, i + 20)}`).not.toBeNull();
      i += m?.[0].length ?? 1;
    } else {
      expect(ch).not.toBe(">");
      i++;
    }
  }
  expect(stack).toEqual([]);
}

/** The visible text of Telegram HTML: tags dropped, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

describe("digestMessage", () => {
  it("titles the digest with the date, then per topic numbered links with local times", () => {
    const list = topics(2);
    const digest = composeDigest({
      topics: list,
      stories: [
        {
          id: 7,
          title: "Giá vàng tăng",
          url: "https://e.vn/7",
          publishedAt: "2026-01-27T01:05:00Z",
          topicIds: [2],
        },
        {
          id: 8,
          title: "Mưa lớn ở Huế",
          url: "https://e.vn/8",
          publishedAt: "2026-01-26T10:00:00Z",
          topicIds: [1],
        },
        {
          id: 9,
          title: "Bão số 3",
          url: "https://e.vn/9",
          publishedAt: "2026-01-27T00:10:00Z",
          topicIds: [1],
        },
      ],
      perTopic: 1,
    });
    const message = digestMessage(digest, VI);
    expect(message.lines[0]).toEqual([{ text: "bantin · Bản tin ngày 27/01", bold: true }]);
    expect(textOf(message)).toBe(
      [
        "bantin · Bản tin ngày 27/01",
        "",
        "Thời sự",
        "1. Bão số 3 · 07:10 27/01",
        "+1 tin nữa: /moi thoi-su",
        "",
        "Thế giới",
        "2. Giá vàng tăng · 08:05 27/01",
      ].join("\n"),
    );
    expect(message.lines[2]).toEqual([{ text: "Thời sự", bold: true }]);
    expect(message.lines[3]).toEqual([
      "1. ",
      { text: "Bão số 3", link: "https://e.vn/9" },
      " · ",
      { text: "07:10 27/01", italic: true },
    ]);
    expect(message.buttons).toEqual([
      [
        { label: "📖 1", action: { kind: "read", articleId: 9 }, item: 1 },
        { label: "📖 2", action: { kind: "read", articleId: 7 }, item: 2 },
      ],
    ]);
  });

  it("names the newsroom in the header", () => {
    const message = digestMessage(bigDigest(1, 1, 0), { ...VI, newsroom: "Báo Lào Cai" });
    expect(textOf(message).split("\n")[0]).toBe("Báo Lào Cai · Bản tin ngày 27/01");
  });

  it("dates a story from another year with its year, in the reader's zone", () => {
    const digest = composeDigest({
      topics: topics(1),
      stories: [
        {
          id: 5,
          title: "Tin cũ",
          url: "https://e.vn/5",
          // 2023-12-08 17:30 in Hà Nội; the digest is of 2026-01-27.
          publishedAt: "2023-12-08T10:30:00Z",
          topicIds: [1],
        },
        {
          id: 6,
          title: "Tin đêm giao thừa",
          url: "https://e.vn/6",
          // 2025-12-31 23:30 in Hà Nội, still last year there.
          publishedAt: "2025-12-31T16:30:00Z",
          topicIds: [1],
        },
      ],
      perTopic: 5,
    });
    const text = textOf(digestMessage(digest, VI));
    expect(text).toContain("Tin cũ · 17:30 08/12/2023");
    expect(text).toContain("Tin đêm giao thừa · 23:30 31/12/2025");
  });

  it("dates a story from another local day", () => {
    const digest = composeDigest({
      topics: topics(1),
      stories: [
        {
          id: 8,
          title: "Mưa lớn ở Huế",
          url: "https://e.vn/8",
          publishedAt: "2026-01-26T10:00:00Z",
          topicIds: [1],
        },
      ],
      perTopic: 5,
    });
    expect(textOf(digestMessage(digest, VI))).toContain("1. Mưa lớn ở Huế · 17:00 26/01");
  });

  it("speaks English with the English command", () => {
    const message = digestMessage(bigDigest(2, 5, 3), EN);
    const text = textOf(message);
    expect(text.split("\n")[0]).toBe("bantin · Your digest, 27/01");
    expect(text).toContain("\nNews\n");
    expect(text).toContain("\nWorld\n");
    expect(text).toContain("+3 more: /latest thoi-su");
    expect(text).toContain("+3 more: /latest the-gioi");
    expect(text).not.toMatch(/\/moi|tin nữa/);
  });

  it("gives a channel no “more: /moi …” hints, since nobody can type them there", () => {
    const text = textOf(digestMessage(bigDigest(2, 5, 3), { ...VI, withCommands: false }));
    expect(text).toContain("1. ");
    expect(text).not.toMatch(/tin nữa|\/moi/);
    expect(textOf(digestMessage(bigDigest(2, 5, 3), VI))).toContain("+3 tin nữa: /moi thoi-su");
  });

  it("says there is nothing new for an empty digest, without buttons", () => {
    const message = digestMessage({ sections: [], storyCount: 0, totalNew: 0 }, VI);
    expect(textOf(message)).toBe(
      "bantin · Bản tin ngày 27/01\n\nChưa có tin mới trong các chủ đề của bạn.",
    );
    expect(message.buttons).toBeUndefined();
  });

  it("outputs NFC text even from decomposed titles and names", () => {
    const digest: Digest = {
      sections: [
        {
          topic: { id: 1, slug: "thoi-su", name: { vi: "Thời sự".normalize("NFD"), en: "News" } },
          stories: [
            {
              id: 1,
              title: "Người dân\nvượt lũ".normalize("NFD"),
              url: "https://e.vn/1",
              publishedAt: "2026-01-27T00:00:00Z",
              topicIds: [1],
            },
          ],
          more: 0,
        },
      ],
      storyCount: 1,
      totalNew: 1,
    };
    const message = digestMessage(digest, VI);
    const text = textOf(message);
    expect(text).toBe(text.normalize("NFC"));
    expect(text).toContain("1. Người dân vượt lũ · 07:00 27/01");
    expect(text).toContain("\nThời sự\n");
  });

  it("rejects an unknown zone or a malformed date", () => {
    const digest = bigDigest(1, 1, 0);
    expect(() => digestMessage(digest, { ...VI, timeZone: "Nowhere/City" })).toThrow(RangeError);
    expect(() => digestMessage(digest, { ...VI, localDate: "27/01" })).toThrow(RangeError);
  });

  for (const options of [VI, EN]) {
    describe(`12 topics × 5 long stories (${options.locale})`, () => {
      const digest = bigDigest(12, 5, 2);
      const message = digestMessage(digest, options);
      const shown = digest.sections.flatMap((s) => s.stories);

      it("numbers stories across sections and gives one read button each, in rows of 5", () => {
        expect(digest.storyCount).toBe(60);
        const numbered = message.lines
          .map((line) => line[0])
          .filter((span): span is string => typeof span === "string" && /^\d+\. $/.test(span));
        expect(numbered).toEqual(shown.map((_, i) => `${i + 1}. `));
        const rows = message.buttons ?? [];
        expect(rows).toHaveLength(12);
        for (const row of rows) expect(row).toHaveLength(5);
        const buttons = rows.flat();
        expect(buttons.map((b) => b.label)).toEqual(shown.map((_, i) => `📖 ${i + 1}`));
        expect(buttons.map((b) => (isLinkButton(b) ? null : b.action))).toEqual(
          shown.map((s) => ({ kind: "read", articleId: s.id })),
        );
        // Each button carries the number its story has in the text.
        expect(buttons.map((b) => (isLinkButton(b) ? null : b.item))).toEqual(
          shown.map((_, i) => i + 1),
        );
      });

      it("renders for Telegram within limits, well-formed, with every title", () => {
        const parts = renderTelegramHtml(message);
        expect(parts.length).toBeGreaterThan(1);
        let buttonCount = 0;
        parts.forEach((part, index) => {
          expect(part.kind).toBe("text");
          if (part.kind !== "text") return;
          expect(part.format).toBe("html");
          expect(visibleLength(part.text)).toBeLessThanOrEqual(MESSAGE_LIMIT);
          expectWellFormedHtml(part.text);
          expect(part.text).toBe(part.text.normalize("NFC"));
          if (part.buttons) {
            expect(index).toBe(parts.length - 1);
            for (const row of part.buttons) {
              for (const button of row) {
                buttonCount++;
                const data = "data" in button ? button.data : "";
                expect(Buffer.byteLength(data, "utf8")).toBeLessThanOrEqual(MAX_ACTION_BYTES);
              }
            }
          }
        });
        expect(buttonCount).toBe(60);
        const html = parts.map((p) => (p.kind === "text" ? p.text : "")).join("\n");
        expect(html).toContain("&lt;số 1001&gt; &amp;");
        expect(html).toContain(
          'href="https://tintuc.example.vn/thoi-su/bai-1001.html?utm=a&amp;ref=&quot;x&quot;"',
        );
        const texts = parts.map((p) => (p.kind === "text" ? visibleText(p.text) : ""));
        for (const story of shown) {
          expect(texts.some((text) => text.includes(story.title))).toBe(true);
        }
      });

      it("renders as plain text in chunks of at most 2000, each title whole", () => {
        const plain = renderPlain(message, options.locale);
        expect(plain.choices).toHaveLength(60);
        expect(plain.text).toBe(plain.text.normalize("NFC"));
        const chunks = splitPlainText(plain.text, 2000);
        for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(2000);
        for (const story of shown) {
          expect(chunks.some((chunk) => chunk.includes(story.title))).toBe(true);
          expect(chunks.some((chunk) => chunk.includes(story.url))).toBe(true);
        }
        const more =
          options.locale === "vi" ? "+2 tin nữa: /moi du-lich" : "+2 more: /latest du-lich";
        expect(plain.text).toContain(more);
      });
    });
  }

  it("gives buttons to the first 100 stories only, keeping Telegram's limit", () => {
    const digest = bigDigest(25, 5, 0);
    expect(digest.storyCount).toBe(125);
    const message = digestMessage(digest, VI);
    const buttons = (message.buttons ?? []).flat();
    expect(buttons).toHaveLength(100);
    expect(buttons.at(-1)?.label).toBe("📖 100");
    expect(textOf(message)).toContain("\n125. ");
    const parts = renderTelegramHtml(message);
    const total = parts.reduce(
      (n, p) => n + (p.buttons?.reduce((m, row) => m + row.length, 0) ?? 0),
      0,
    );
    expect(total).toBe(100);
    for (const part of parts) {
      if (part.kind === "text") expect(visibleLength(part.text)).toBeLessThanOrEqual(MESSAGE_LIMIT);
    }
  });
});
