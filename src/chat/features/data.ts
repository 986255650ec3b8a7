/**
 * A reader's own data: /dulieu (/mydata) says what bantin keeps about the chat and sends it as a
 * JSON file (as text messages where the platform cannot send files); /xoadulieu (/deleteme) asks
 * once, then erases it all (services/reader-data.ts).
 */
import { bold } from "../../message/model";
import { eraseReader, readerData, readerDataJson, SENT_DAYS } from "../../services/reader-data";
import { hasQuietHours } from "../../text/quiet-hours";
import { formatLocalDateTime } from "../../text/time";
import type { Reply } from "../context";
import { always, edit, type Feature, type FeatureContext, send } from "../feature";

async function showData(ctx: FeatureContext): Promise<Reply[]> {
  const { reader, t } = ctx;
  const data = await readerData(ctx.deps.db, reader, ctx.deps.clock());
  const modeLabel = { digest: t.modeDigest, instant: t.modeInstant, both: t.modeBoth };
  const quiet = { from: reader.quietFrom, until: reader.quietUntil };
  const lines = [
    t.dataJoined(formatLocalDateTime(reader.createdAt, reader.timeZone)),
    t.dataLanguage,
    t.dataDigest(reader.digestEnabled ? reader.digestTime : null, reader.timeZone),
    hasQuietHours(quiet) ? t.dataQuiet(quiet.from, quiet.until) : t.dataQuiet(null, null),
    t.dataTopics(
      data.topics.map((topic) => ({
        name: topic.name,
        mode: modeLabel[topic.delivery as keyof typeof modeLabel] ?? topic.delivery,
      })),
    ),
    t.dataFollows(data.keywordFollows.map((f) => f.words)),
    t.dataSent(data.messages.length, data.storiesPushed.length, SENT_DAYS),
  ];
  const day = data.exportedAt.slice(0, 10);
  return [
    send({ lines: [[bold(t.dataTitle)], ...lines.map((line) => [line]), [""], [t.dataFileNote]] }),
    {
      type: "file",
      file: {
        name: `bantin-${reader.platform}-${day}.json`,
        content: readerDataJson(data),
      },
      caption: t.dataFileCaption,
    },
  ];
}

export const dataFeature: Feature = {
  commands: [
    {
      name: "mydata",
      slash: ["mydata", "dulieu"],
      keywords: [
        { words: "du lieu", accepts: (a) => a === "" },
        { words: "du lieu cua toi", accepts: (a) => a === "" },
        { words: "my data", accepts: (a) => a === "" },
      ],
      menu: { vi: "dulieu", en: "mydata" },
      run: showData,
    },
    {
      name: "deleteme",
      slash: ["deleteme", "xoadulieu"],
      keywords: [
        { words: "xoa du lieu", accepts: (a) => a === "" },
        { words: "xoa du lieu cua toi", accepts: (a) => a === "" },
        { words: "delete me", accepts: (a) => a === "" },
      ],
      menu: { vi: "xoadulieu", en: "deleteme" },
      changesGroup: always,
      async run({ t }) {
        return [
          send({
            lines: [[t.eraseAsk]],
            buttons: [
              [
                { label: t.eraseYes, action: { kind: "erase", confirm: true } },
                { label: t.eraseNo, action: { kind: "erase", confirm: false } },
              ],
            ],
          }),
        ];
      },
    },
  ],
  actions: {
    erase: {
      changesGroup: (action) => action.confirm,
      async run(ctx, action) {
        const { t } = ctx;
        if (!action.confirm) return [edit({ lines: [[t.eraseCancelled]] })];
        // A chat erased already pressing its old button was registered afresh by this very
        // press: erased again, it is not counted twice.
        await eraseReader(ctx.deps.db, ctx.reader, ctx.now(), { counted: !ctx.isNew });
        return [edit({ lines: [[t.erased]] })];
      },
    },
  },
};
