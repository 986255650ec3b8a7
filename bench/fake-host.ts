/**
 * The fake Bot API in a child process of its own, so that its work (HTTP, validation, flood
 * limits) does not share the bench's event loop and CPU time with what is being measured.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type FakeTelegramOptions, startFakeTelegram } from "../test/fakes/telegram-api";

const CHILD_ENV = "BANTIN_BENCH_FAKE_TELEGRAM";
const MARKS_ENV = "BANTIN_BENCH_FAKE_MARKS";

/** What a bench needs of one recorded sendMessage. */
export interface SentCall {
  chatId: string;
  ok: boolean;
  at: number;
  /** What the `marks` pattern found in its text, when the host was given one. */
  marks?: string[];
}

export interface Recorded {
  sends: SentCall[];
  tooManyRequests: number;
  /** Text of the first successful sendMessage. */
  firstText: string | undefined;
}

type ChildMessage =
  | { type: "ready"; apiRoot: string; token: string }
  | { type: "count"; ok: number }
  | ({ type: "recorded" } & Recorded);

export interface FakeHost {
  apiRoot: string;
  token: string;
  recorded(): Promise<Recorded>;
  /** Successful sendMessage calls with allow_paid_broadcast (bulk sends) so far. */
  bulkSent(): Promise<number>;
  close(): Promise<void>;
}

async function serveFakeInChild(): Promise<void> {
  const fake = await startFakeTelegram(JSON.parse(process.env[CHILD_ENV] ?? "{}"));
  const marks = process.env[MARKS_ENV] ? new RegExp(process.env[MARKS_ENV], "gu") : undefined;
  const send = (message: ChildMessage) => process.send?.(message);
  process.on("disconnect", () => process.exit(0));
  process.on("message", (command: string) => {
    if (command === "count") {
      let ok = 0;
      for (const c of fake.calls) {
        if (c.method === "sendMessage" && c.ok === true && c.params.allow_paid_broadcast) ok++;
      }
      send({ type: "count", ok });
    } else if (command === "recorded") {
      const calls = fake.calls.filter((c) => c.method === "sendMessage");
      send({
        type: "recorded",
        sends: calls.map((c) => ({
          chatId: String(c.params.chat_id),
          ok: c.ok === true,
          at: c.at,
          ...(marks ? { marks: String(c.params.text ?? "").match(marks) ?? [] } : {}),
        })),
        tooManyRequests: fake.stats.tooManyRequests,
        firstText: calls.find((c) => c.ok === true)?.params.text as string | undefined,
      });
    } else if (command === "close") {
      void fake.close().then(() => process.disconnect());
    }
  });
  send({ type: "ready", apiRoot: fake.apiRoot, token: fake.token });
}

if (process.env[CHILD_ENV]) await serveFakeInChild();

/**
 * Node options for a child process that runs a bench file: the parent's (under tsx they carry its
 * loader), less an --eval, which would run the parent's one-liner again in the child.
 */
export function benchChildExecArgv(): string[] {
  const options: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (["--eval", "-e", "--print", "-p"].includes(arg)) i++;
    else if (!/^--(eval|print)=/.test(arg)) options.push(arg);
  }
  return options;
}

/**
 * `marks`: a pattern whose matches in each sent text are kept with the send (what a bench needs
 * of the text, without carrying every text back).
 */
export async function startFakeHost(
  options: FakeTelegramOptions = {},
  extra: { marks?: RegExp } = {},
): Promise<FakeHost> {
  // The child runs this very file, which serves the fake when it finds its options in the env.
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    env: {
      ...process.env,
      [CHILD_ENV]: JSON.stringify(options),
      ...(extra.marks ? { [MARKS_ENV]: extra.marks.source } : {}),
    },
    execArgv: benchChildExecArgv(),
    serialization: "advanced",
  });
  const next = <T extends ChildMessage["type"]>(type: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`fake Bot API exited (${code})`));
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
  const ready = await next("ready");
  return {
    apiRoot: ready.apiRoot,
    token: ready.token,
    async recorded() {
      const answer = next("recorded");
      child.send("recorded");
      const { type: _type, ...recorded } = await answer;
      return recorded;
    },
    async bulkSent() {
      const answer = next("count");
      child.send("count");
      return (await answer).ok;
    },
    async close() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send("close");
      await exited;
    },
  };
}
