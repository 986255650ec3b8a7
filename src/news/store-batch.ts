/**
 * Group commit for stories: the stories a feed check finds at about the same time are stored in
 * one transaction instead of one each. A transaction's fixed cost (the commit, and on SQLite the
 * search index's segment flush) is then paid once for up to `maxBatch` stories. A batch that
 * fails is stored again story by story, so one bad story costs only itself.
 */
import type { Db } from "../db/schema";
import { inTransaction } from "../db/transaction";
import { type ArticleInput, type StoreOutcome, storeArticle } from "./articles";

type Stored = { id: number; outcome: StoreOutcome };

interface Waiting {
  input: ArticleInput;
  resolve(stored: Stored): void;
  reject(error: unknown): void;
}

export interface StoreBatch {
  /** Stores the story with the others waiting now; resolves once its transaction committed. */
  store(input: ArticleInput): Promise<Stored>;
}

export function createStoreBatch(db: Db, maxBatch = 200): StoreBatch {
  const waiting: Waiting[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      try {
        const stored = await inTransaction(db, async (trx) => {
          const out: Stored[] = [];
          for (const item of batch) out.push(await storeArticle(trx, item.input));
          return out;
        });
        for (const [i, item] of batch.entries()) item.resolve(stored[i] as Stored);
      } catch {
        for (const item of batch) {
          try {
            item.resolve(await storeArticle(db, item.input));
          } catch (error) {
            item.reject(error);
          }
        }
      }
    }
  }

  return {
    store(input) {
      return new Promise<Stored>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        if (scheduled) return;
        scheduled = true;
        // After the current turn: the stories found in it go together.
        setImmediate(() => {
          void flush();
        });
      });
    },
  };
}
