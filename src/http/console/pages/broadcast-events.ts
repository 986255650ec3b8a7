/**
 * A broadcast's progress as server-sent events: one `data:` line of JSON each time it changes
 * (looked up twice a second), a comment now and then so that proxies keep the line open, and the
 * end of the stream once the broadcast has finished, the browser has gone or the server closes.
 */
import type { FastifyReply } from "fastify";
import type { BroadcastStatus } from "../../../services/broadcasts";

/** How often a stream looks at the outbox, and how often it says it is still there. */
const POLL_MS = 500;
const KEEP_ALIVE_MS = 15_000;

export interface ProgressStream<T> {
  first: BroadcastStatus;
  next(): Promise<BroadcastStatus>;
  /** What the page's script reads from each event. */
  render(status: BroadcastStatus): T;
  /** Open streams, each its `end`: the server ends them all when it closes. */
  streams: Set<() => void>;
  onError(error: Error): void;
}

export function streamProgress<T>(reply: FastifyReply, stream: ProgressStream<T>): void {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-content-type-options": "nosniff",
    "x-accel-buffering": "no",
  });
  let last = "";
  let lastWrite = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let open = true;
  const end = () => {
    if (!open) return;
    open = false;
    if (timer) clearTimeout(timer);
    stream.streams.delete(end);
    out.end();
  };
  stream.streams.add(end);
  out.on("close", end);

  const tell = (status: BroadcastStatus) => {
    const data = JSON.stringify(stream.render(status));
    if (data !== last) {
      out.write(`data: ${data}\n\n`);
      last = data;
      lastWrite = Date.now();
    } else if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
      out.write(": still here\n\n");
      lastWrite = Date.now();
    }
    if (status.finished) end();
  };
  const poll = async () => {
    if (!open) return;
    try {
      tell(await stream.next());
    } catch (error) {
      stream.onError(error as Error);
      end();
    }
    if (open) timer = setTimeout(poll, POLL_MS);
  };
  out.write("retry: 2000\n\n");
  tell(stream.first);
  if (open) timer = setTimeout(poll, POLL_MS);
}
