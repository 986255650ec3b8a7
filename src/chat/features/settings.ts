/**
 * The reader's settings: digest time and zone (/time), quiet hours (/quiet), language (/lang),
 * stopping (/stop).
 */
import { catalogue } from "../../message/i18n";
import { hasQuietHours } from "../../text/quiet-hours";
import { truncate } from "../../text/truncate";
import type { Reply } from "../context";
import { always, edit, type Feature, type FeatureContext, say, send } from "../feature";

const TIME_OFF = ["off", "tat", "tắt"];

async function time(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const { reader, t } = ctx;
  const value = args.trim().toLowerCase();
  if (!value) {
    return [
      say(t.timeCurrent(reader.digestTime, reader.timeZone, reader.digestEnabled), t.timeUsage),
    ];
  }
  if (TIME_OFF.includes(value)) {
    ctx.reader = await ctx.readers.turnDigestOff(reader);
    return [say(t.timeOff)];
  }
  // "/gio 07:30", "/gio 7h30" or "/gio 07:30 Asia/Bangkok" (a time zone for travellers).
  const [clock = "", zoneText] = args.trim().split(/\s+/);
  const set = await ctx.readers.setDigestTime(
    reader,
    clock.toLowerCase().replace(/[h.]/, ":"),
    zoneText,
  );
  if (!set.ok) {
    return [
      say(
        set.problem === "zone"
          ? t.timeZoneInvalid(truncate(zoneText ?? "", 40))
          : t.timeInvalid(truncate(clock, 20)),
      ),
    ];
  }
  ctx.reader = set.reader;
  return [say(t.timeSet(set.reader.digestTime, set.reader.timeZone))];
}

/** "/yenlang" tells; "/yenlang 22:00-06:00" sets; "/yenlang tat" turns quiet hours off. */
async function quiet(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const { reader, t } = ctx;
  const value = args.trim();
  if (!value) {
    const current = { from: reader.quietFrom, until: reader.quietUntil };
    return [
      say(
        hasQuietHours(current)
          ? t.quietCurrent(current.from, current.until, reader.timeZone)
          : t.quietNone,
        t.quietUsage,
      ),
    ];
  }
  const set = await ctx.readers.setQuietHours(
    reader,
    TIME_OFF.includes(value.toLowerCase()) ? null : value,
  );
  if (!set.ok) return [say(t.quietInvalid(truncate(value, 20)))];
  ctx.reader = set.reader;
  if (!hasQuietHours({ from: set.reader.quietFrom, until: set.reader.quietUntil })) {
    return [say(t.quietOff)];
  }
  return [say(t.quietSet(set.reader.quietFrom, set.reader.quietUntil, set.reader.timeZone))];
}

async function lang(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const value = args.trim().toLowerCase();
  if (value === "vi" || value === "en") {
    ctx.reader = await ctx.readers.setLanguage(ctx.reader, value);
    return [say(catalogue(value).langSet)];
  }
  return [
    send({
      lines: [[ctx.t.langAsk]],
      buttons: [
        [
          { label: "🇻🇳 Tiếng Việt", action: { kind: "lang", locale: "vi" } },
          { label: "🇬🇧 English", action: { kind: "lang", locale: "en" } },
        ],
      ],
    }),
  ];
}

export const settingsFeature: Feature = {
  commands: [
    {
      name: "time",
      slash: ["time", "gio"],
      keywords: [
        { words: "gio", accepts: (a) => /^(\d{1,2}[:h.]\d{2}|tat|off|bat)$/i.test(a) },
        { words: "time", accepts: (a) => /^(\d{1,2}[:h.]\d{2}|off)$/i.test(a) },
      ],
      menu: { vi: "gio", en: "time" },
      changesGroup: (args) => args.trim() !== "", // without arguments it only tells the time
      run: time,
    },
    {
      name: "quiet",
      slash: ["quiet", "yenlang"],
      keywords: [
        {
          words: "yen lang",
          accepts: (a) => a.trim() !== "" && (/^(tat|tắt|off)$/i.test(a.trim()) || /\d/.test(a)),
        },
      ],
      menu: { vi: "yenlang", en: "quiet" },
      changesGroup: (args) => args.trim() !== "", // without arguments it only tells them
      run: quiet,
    },
    {
      name: "lang",
      slash: ["lang", "ngonngu", "language"],
      menu: { vi: "lang", en: "lang" },
      changesGroup: (args) => ["vi", "en"].includes(args.trim().toLowerCase()),
      run: lang,
    },
    {
      name: "stop",
      slash: ["stop", "huy", "dung"],
      keywords: [
        { words: "dung", accepts: (a) => a === "" },
        { words: "huy", accepts: (a) => a === "" },
      ],
      menu: { vi: "huy", en: "stop" },
      changesGroup: always,
      async run(ctx) {
        const { t } = ctx;
        return [
          send({
            lines: [[t.stopAsk]],
            buttons: [
              [
                { label: t.stopYes, action: { kind: "stop", confirm: true } },
                { label: t.stopNo, action: { kind: "stop", confirm: false } },
              ],
            ],
          }),
        ];
      },
    },
  ],
  actions: {
    stop: {
      changesGroup: (action) => action.confirm,
      async run(ctx, action) {
        const { t } = ctx;
        if (!action.confirm) return [edit({ lines: [[t.stopCancelled]] })];
        await ctx.readers.stop(ctx.reader);
        return [edit({ lines: [[t.stopped]] })];
      },
    },
    lang: {
      changesGroup: always,
      async run(ctx, action) {
        const locale = action.locale;
        ctx.reader = await ctx.readers.setLanguage(ctx.reader, locale);
        return [edit({ lines: [[catalogue(locale).langSet]] })];
      },
    },
  },
};
