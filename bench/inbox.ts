import { Pool } from "undici";
import { startFakeTelegram } from "../test/fakes/telegram-api";
import { exited, postRaw, startBotProcess, waitUntil } from "../test/helpers/processes";
import { prepareNewsDb, WEBHOOK_SECRET } from "../test/helpers/telegram-harness";
import { startFakeHost } from "./fake-host";
import { machine, percentile, writeSection } from "./results";

const HEADERS = {
  "content-type": "application/json",
  "x-telegram-bot-api-secret-token": WEBHOOK_SECRET,
};
const ms = (v: number) => `${v.toFixed(1)} ms`;

/** A private chat's "/trogiup" as Telegram would POST it. */
function helpUpdate(chatId: number, updateId: number): string {
  const user = { id: chatId, is_bot: false, first_name: "Lan", language_code: "vi" };
  return JSON.stringify({
    update_id: updateId,
    message: {
      message_id: 1,
      from: user,
      chat: { id: chatId, type: "private", first_name: "Lan" },
      date: Math.floor(Date.now() / 1000),
      text: "/trogiup",
      entities: [{ type: "bot_command", offset: 0, length: 8 }],
    },
  });
}

/**
 * 500 webhook updates at once, from 500 chats, to a `bantin start` process, over 100 kept-alive
 * connections as Telegram's servers would hold them; a first burst warms the process up. The
 * fake Bot API runs in a process of its own, so that answering the replies does not slow the
 * client that measures the acknowledgements.
 */
async function burst(updates: number) {
  const fake = await startFakeHost();
  const { path, db } = await prepareNewsDb();
  await db.destroy();
  const bot = await startBotProcess({
    DATABASE_URL: `sqlite:${path}`,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_RATE: "1000",
    TELEGRAM_PAID_BROADCAST: "true",
  });
  const pool = new Pool(bot.url, { connections: 100 });
  const post = async (body: string) => {
    const answer = await pool.request({
      path: "/telegram/webhook",
      method: "POST",
      headers: HEADERS,
      body,
    });
    await answer.body.text();
    return answer.statusCode;
  };
  const answersByChat = async () => {
    const byChat = new Map<string, number>();
    for (const send of (await fake.recorded()).sends) {
      if (send.ok) byChat.set(send.chatId, (byChat.get(send.chatId) ?? 0) + 1);
    }
    return byChat;
  };
  let updateId = 1;
  const round = async (firstChat: number) => {
    const chats = Array.from({ length: updates }, (_, i) => firstChat + i);
    const bodies = chats.map((chatId) => helpUpdate(chatId, updateId++));
    const acks: number[] = [];
    const started = performance.now();
    const statuses = await Promise.all(
      bodies.map(async (body) => {
        const t0 = performance.now();
        const status = await post(body);
        acks.push(performance.now() - t0);
        return status;
      }),
    );
    let answers = new Map<string, number>();
    await waitUntil(
      async () => {
        answers = await answersByChat();
        return chats.every((c) => answers.has(String(c)));
      },
      60_000,
      "every chat answered",
    );
    const answeredIn = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 500)); // a late second answer would show now
    answers = await answersByChat();
    acks.sort((a, b) => a - b);
    return {
      ok: statuses.filter((s) => s >= 200 && s < 300).length,
      acks,
      answeredIn,
      once: chats.filter((c) => answers.get(String(c)) === 1).length,
    };
  };
  try {
    await round(70_000); // warm-up: JIT, connections, SQLite's cache
    const measured = await round(80_000);
    // The same update three times.
    const repeat = helpUpdate(89_999, updateId++);
    for (let i = 0; i < 3; i++) await post(repeat);
    await waitUntil(
      async () => (await answersByChat()).has("89999"),
      10_000,
      "the repeated update answered",
    );
    await new Promise((r) => setTimeout(r, 500));
    return { ...measured, repeatAnswers: (await answersByChat()).get("89999") ?? 0 };
  } finally {
    bot.child.kill("SIGKILL");
    await pool.close();
    await fake.close();
  }
}

/** 120 updates acknowledged by a `bantin start` process, then the signal, then a restart. */
async function afterSignal(signal: "SIGTERM" | "SIGKILL") {
  const fake = await startFakeTelegram({ latencyMs: 500 });
  const { path, db } = await prepareNewsDb();
  await db.destroy();
  const env = {
    DATABASE_URL: `sqlite:${path}`,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_RATE: "1000",
    TELEGRAM_PAID_BROADCAST: "true",
  };
  const chats = Array.from({ length: 120 }, (_, i) => 90_000 + i);
  const answers = (chat: number) =>
    fake.sentMessages(chat).filter((c) => c.method === "sendMessage").length;
  const first = await startBotProcess(env);
  let second: Awaited<ReturnType<typeof startBotProcess>> | undefined;
  try {
    const acked = await Promise.all(
      chats.map((chatId) =>
        postRaw(
          `${first.url}/telegram/webhook`,
          JSON.stringify(fake.message({ chatId, text: "/trogiup" })),
          HEADERS,
        ),
      ),
    );
    first.child.kill(signal);
    await exited(first.child);
    const beforeRestart = chats.filter((c) => answers(c) > 0).length;
    const restarted = performance.now();
    second = await startBotProcess(env);
    await waitUntil(() => chats.every((c) => answers(c) > 0), 60_000, "every chat answered");
    return {
      acked: acked.filter((a) => a.status === 200).length,
      beforeRestart,
      afterRestartIn: (performance.now() - restarted) / 1000,
      answered: chats.filter((c) => answers(c) > 0).length,
      twice: chats.filter((c) => answers(c) > 1).length,
    };
  } finally {
    second?.child.kill("SIGKILL");
    if (first.child.exitCode === null) first.child.kill("SIGKILL");
    await fake.close();
  }
}

/** Updates in through the inbox: acknowledgement under load, repeats, stops and crashes. */
export async function benchInbox(): Promise<string> {
  const b = await burst(500);
  const runs = [await afterSignal("SIGTERM"), await afterSignal("SIGKILL")];
  const table = [
    "| case | updates | acknowledged 2xx | ack p50 | ack p99 | ack max | every chat answered in | answered exactly once |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    `| 500 at once, 500 chats | 500 | ${b.ok} | ${ms(percentile(b.acks, 50))} | ${ms(percentile(b.acks, 99))} | ${ms(b.acks.at(-1) ?? 0)} | ${b.answeredIn.toFixed(2)} s | ${b.once} |`,
    "",
    `The same update posted 3 times: answered ${b.repeatAnswers} time(s).`,
    "",
    "| signal after the acks | acknowledged | answered before it went | answered after the restart | time from restart to the last answer | answered twice |",
    "| --- | --- | --- | --- | --- | --- |",
    ...(["SIGTERM", "SIGKILL"] as const).map((signal, i) => {
      const r = runs[i] as Awaited<ReturnType<typeof afterSignal>>;
      return `| ${signal} | ${r.acked} | ${r.beforeRestart} | ${r.answered - r.beforeRestart} (all ${r.answered}) | ${r.afterRestartIn.toFixed(1)} s | ${r.twice} |`;
    }),
  ].join("\n");
  writeSection(
    "Updates in: the inbox",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.

Every platform update is stored in the inbox (SQLite) before it is acknowledged, then handled in
order within its chat and concurrently across chats. First: 500 \`/trogiup\` updates from 500
chats POSTed at once (real HTTP on 127.0.0.1, over 100 kept-alive connections as Telegram's
servers hold them) to the Telegram webhook of a \`bantin start\` process, after one such burst
to warm it up; the fake Bot API that takes the replies runs in a process of its own. "ack" is
the time from each POST to its response, "answered in" from the first POST until every reply
reached the fake (send rate 1000/s, paid broadcasts). In the first half second of a burst,
updates wait for the acknowledgements to go out. Then a \`bantin start\` child process
acknowledges 120 updates (the fake answers every call after 500 ms, so most are still
waiting), gets SIGTERM or SIGKILL, and a new process starts on the same database. After SIGTERM
the process finishes the updates being handled (up to 5 s) and leaves the rest stored; after
SIGKILL the new process takes back the rows the dead one held at once, its lock file beside the
database proving it gone.

${table}`,
  );
  return table;
}
