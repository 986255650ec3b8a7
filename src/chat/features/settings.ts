/**
 * The reader's settings: digest time and zone (/time), quiet hours (/quiet), language (/lang),
 * stopping (/stop).
 */
import { catalogue } from "../../message/i18n";
import { setQuietHours, setReaderStatus, updatePreferences } from "../../readers/readers";
import { hasQuietHours, parseQuietHours } from "../../text/quiet-hours";
import { formatClockTime, isValidTimeZone, parseClockTime } from "../../text/time";
import { truncate } from "../../text/truncate";
import type { Reply } from "../context";
import { always, edit, type Feature, type FeatureContext, say, send } from "../feature";

/** An IANA zone as the runtime spells it ("asia/bangkok" -> "Asia/Bangkok"), or null. */
function canonicalZone(text: string): string | null {
  if (!isValidTimeZone(text)) return null;
  return new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions().timeZone;
}

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
    await updatePreferences(ctx.deps.db, reader.id, { digestEnabled: false }, ctx.now());
    return [say(t.timeOff)];
  }
  // "/gio 07:30" or "/gio 07:30 Asia/Bangkok" (a time zone for travellers and abroad).
  const [clock = "", zoneText] = args.trim().split(/\s+/);
  const minutes = parseClockTime(clock.toLowerCase().replace(/[h.]/, ":"));
  if (minutes === null) return [say(t.timeInvalid(truncate(clock, 20)))];
  const zone = zoneText ? canonicalZone(zoneText) : reader.timeZone;
  if (!zone) return [say(t.timeZoneInvalid(truncate(zoneText ?? "", 40)))];
  const digestTime = formatClockTime(minutes);
  await updatePreferences(
    ctx.deps.db,
    reader.id,
    { digestTime, digestEnabled: true, timeZone: zone },
    ctx.now(),
  );
  return [say(t.timeSet(digestTime, zone))];
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
  if (TIME_OFF.includes(value.toLowerCase())) {
    // Equal ends mean no quiet hours.
    await setQuietHours(ctx.deps.db, reader.id, { from: "00:00", until: "00:00" }, ctx.now());
    return [say(t.quietOff)];
  }
  const span = parseQuietHours(value);
  if (!span) return [say(t.quietInvalid(truncate(value, 20)))];
  await setQuietHours(ctx.deps.db, reader.id, span, ctx.now());
  return [say(t.quietSet(span.from, span.until, reader.timeZone))];
}

async function lang(ctx: FeatureContext, args: string): Promise<Reply[]> {
  const value = args.trim().toLowerCase();
  if (value === "vi" || value === "en") {
    ctx.reader = await updatePreferences(ctx.deps.db, ctx.reader.id, { locale: value }, ctx.now());
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
        await setReaderStatus(ctx.deps.db, ctx.reader.id, "stopped", ctx.now());
        return [edit({ lines: [[t.stopped]] })];
      },
    },
    lang: {
      changesGroup: always,
      async run(ctx, action) {
        const { db } = ctx.deps;
        const locale = action.locale;
        ctx.reader = await updatePreferences(db, ctx.reader.id, { locale }, ctx.now());
        return [edit({ lines: [[catalogue(locale).langSet]] })];
      },
    },
  },
};
