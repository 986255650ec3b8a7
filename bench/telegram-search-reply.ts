import { startTelegramHarness } from "../test/helpers/telegram-harness";
import { machine, percentile, writeSection } from "./results";

/**
 * A reader's /search in webhook mode: from the moment the Bot API POSTs the update to our
 * webhook until the reply reaches the fake Bot API (the update is acknowledged once stored in
 * the inbox, and answered from there).
 */
export async function benchSearchReply(updates = 1000): Promise<string> {
  // The global send rate is lifted (paid broadcasts, 1000/s) so that the figures show how fast
  // a reply is made, not the 30/s pacing every bot message keeps to by default.
  const h = await startTelegramHarness("webhook", {
    env: { TELEGRAM_RATE: "1000", TELEGRAM_PAID_BROADCAST: "true" },
  });
  const queries = [
    "doi ngoai",
    "mưa lớn",
    "gia lua",
    "Sa Pa",
    "bóng đá",
    "cao toc",
    "quyen con nguoi",
  ];
  try {
    // Warm-up: JIT, SQLite page cache, keep-alive connections.
    for (let i = 0; i < 50; i++) {
      await h.fake.deliverWebhook(
        h.fake.message({ chatId: 5000 + (i % 20), text: `/tim ${queries[i % queries.length]}` }),
      );
    }
    await h.running.idle();
    const timings: number[] = [];
    const started = performance.now();
    for (let i = 0; i < updates; i++) {
      const chatId = 6000 + (i % 100);
      const update = h.fake.message({ chatId, text: `/tim ${queries[i % queries.length]}` });
      const sentAfter = Date.now();
      const t0 = performance.now();
      const answer = await h.fake.deliverWebhook(update);
      if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
      await h.fake.waitFor(
        (c) =>
          c.method === "sendMessage" &&
          c.ok === true &&
          Number(c.params.chat_id) === chatId &&
          c.at >= sentAfter,
      );
      timings.push(performance.now() - t0);
    }
    const total = (performance.now() - started) / 1000;
    const replies = h.fake.calls.filter((c) => c.method === "sendMessage" && c.ok !== false).length;
    timings.sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const table = [
      "| updates | median | p95 | p99 | max | throughput | replies sent |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      `| ${updates} | ${ms(percentile(timings, 50))} | ${ms(percentile(timings, 95))} | ${ms(percentile(timings, 99))} | ${ms(timings.at(-1) ?? 0)} | ${(updates / total).toFixed(0)}/s | ${replies} |`,
    ].join("\n");
    const body = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.

One \`/tim <words>\` update at a time, POSTed by the fake Bot API to \`POST /telegram/webhook\`
(real HTTP on 127.0.0.1), handled by the real bot (grammY, chat core, SQLite FTS5 over the demo
stories) and answered with a \`sendMessage\` to the fake, which replies at once. The send rate
is set to 1000/s (paid broadcasts); at the default 30/s every bot message, replies included,
keeps to one slot every 34 ms, so back-to-back updates would measure the pacing instead. The time is from
the webhook POST until the fake has the reply: the update is stored in the inbox and acknowledged,
then handled (grammY, chat core) and answered.

${table}`;
    writeSection("Reply to /search in webhook mode", body);
    return table;
  } finally {
    await h.stop();
  }
}
