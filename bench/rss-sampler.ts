import { Worker } from "node:worker_threads";

/** RSS is per process: a worker thread samples it every 10 ms even while our thread is busy. */
export function startRssSampler(): { stop(): Promise<{ peak: number; samples: number }> } {
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
let peak = 0, samples = 0;
const sample = () => { const r = process.memoryUsage.rss(); samples++; if (r > peak) peak = r; };
sample();
const timer = setInterval(sample, 10);
parentPort.once("message", () => { clearInterval(timer); sample(); parentPort.postMessage({ peak, samples }); });`,
    { eval: true },
  );
  const ready = new Promise<void>((resolve) => worker.once("online", () => resolve()));
  return {
    async stop() {
      await ready;
      const answer = new Promise<{ peak: number; samples: number }>((resolve) =>
        worker.once("message", resolve),
      );
      worker.postMessage("stop");
      const result = await answer;
      await worker.terminate();
      return result;
    },
  };
}
