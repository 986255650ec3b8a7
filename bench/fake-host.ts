/**
 * The fake Bot API in a child process of its own, so that its work (HTTP, validation, flood
 * limits) does not share the bench's event loop and CPU time with what is being measured.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type FakeTelegramOptions, startFakeTelegram } from "../test/fakes/telegram-api";

const CHILD_ENV = "BANTIN_BENCH_FAKE_TELEGRAM";

/** What a bench needs of one recorded sendMessage. */
export interface SentCall {
  chatId: string;
  ok: boolean;
  at: number;
}

export interface Recorded {
  sends: SentCall[];
  tooManyRequests: number;
  /** Text of the first successful sendMessage. */
  firstText: string | undefined;
}

type ChildMessage =
  | { type: "ready"; apiRoot: string; token: string }
  | ({ type: "recorded" } & Recorded);

export interface FakeHost {
  apiRoot: string;
  token: string;
  recorded(): Promise<Recorded>;
  close(): Promise<void>;
}

async function serveFakeInChild(): Promise<void> {
  const fake = await startFakeTelegram(JSON.parse(process.env[CHILD_ENV] ?? "{}"));
  const send = (message: ChildMessage) => process.send?.(message);
  process.on("disconnect", () => process.exit(0));
  process.on("message", (command: string) => {
    if (command === "recorded") {
      const calls = fake.calls.filter((c) => c.method === "sendMessage");
      send({
        type: "recorded",
        sends: calls.map((c) => ({
          chatId: String(c.params.chat_id),
          ok: c.ok === true,
          at: c.at,
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

export async function startFakeHost(options: FakeTelegramOptions = {}): Promise<FakeHost> {
  // The child runs this very file, which serves the fake when it finds its options in the env.
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [CHILD_ENV]: JSON.stringify(options) },
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
    async close() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send("close");
      await exited;
    },
  };
}
