/**
 * The house rules of docs/ARCHITECTURE.md, checked on the import graph of src/ (every import,
 * type-only ones too, read with TypeScript's own pre-processor): imports go down the layers,
 * no import circles, adapters touch no table, and no file grows past its size.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SRC = join(ROOT, "src");

/**
 * Layers, lowest first. A module may import its own folder and any lower layer, never a higher
 * one nor another folder of its own layer.
 */
const LAYERS: string[][] = [
  ["text", "clock.ts", "logging.ts"],
  ["config.ts"],
  ["db", "message"],
  ["readers", "news", "inbox", "editors"],
  ["delivery"],
  ["broadcasts", "digest", "instant", "alerts"],
  ["services"],
  ["chat", "http"],
  ["adapters", "scheduler"],
  ["main.ts", "demo"],
  ["cli"],
];

/** What a platform adapter may import outside adapters/: never db/ nor a table's module. */
const ADAPTER_MAY_IMPORT = [
  "chat/",
  "message/",
  "text/",
  "delivery/transport.ts",
  "delivery/limiter.ts",
  "http/server.ts",
  "http/webhook.ts",
  "config.ts",
  "logging.ts",
  "clock.ts",
];

/** The one module that writes each table. */
const TABLE_OWNERS: Record<string, string> = {
  categories: "news/topics.ts",
  sources: "news/feeds.ts",
  articles: "news/articles.ts",
  article_categories: "news/articles.ts",
  article_search: "news/articles.ts",
  readers: "readers/readers.ts",
  digest_marks: "readers/digest-marks.ts",
  reader_topics: "readers/reader-topics.ts",
  outbox: "delivery/outbox.ts",
  outbox_payloads: "delivery/outbox.ts",
  outbox_payload_stories: "delivery/outbox.ts",
  broadcasts: "broadcasts/broadcasts.ts",
  broadcast_opens: "broadcasts/opens.ts",
  admin_audit: "editors/audit.ts",
  inbox_updates: "inbox/updates.ts",
  keyword_follows: "readers/keywords.ts",
  instant_items: "readers/instant-items.ts",
  job_cursors: "instant/cursor.ts",
  chat_memory: "readers/chat-memory.ts",
  story_reads: "news/reads.ts",
  alert_incidents: "alerts/incidents.ts",
  admin_web_sessions: "editors/console-sessions.ts",
  admin_web_keys: "editors/console-sessions.ts",
  editor_names: "editors/editor-names.ts",
};
const TABLE_WRITE = /\.(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*"([a-z_]+)/g;
// "do update set" is an upsert's own row, not a table: not a write of its own.
const RAW_WRITE =
  /\b(?:insert\s+(?:or\s+\w+\s+)?into|(?<!\bdo\s+)update|delete\s+from)\s+"?([a-z_]+)/gi;

const SIZE_LIMIT = 600;
const SIZE_WITHOUT_REASON = 400;
/** The reason a file may be long, written in its first lines. */
const SIZE_REASON = /longer than 400 lines because/i;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null; // a package
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(`${relative(ROOT, from)} imports "${specifier}", which does not exist`);
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>(
  files.map((file) => {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles
      .map((f) => resolveImport(file, f.fileName))
      .filter((t): t is string => t !== null);
    return [file, targets];
  }),
);

/** "chat/features/stories.ts" -> "chat"; "main.ts" -> "main.ts". */
function folderOf(file: string): string {
  return relative(SRC, file).split("/")[0] as string;
}

function layerOf(file: string): number {
  const folder = folderOf(file);
  const layer = LAYERS.findIndex((names) => names.includes(folder));
  if (layer < 0) throw new Error(`src/${folder} has no layer in the architecture test`);
  return layer;
}

const rel = (file: string) => relative(SRC, file);

describe("architecture", () => {
  it("every part of src/ has a layer", () => {
    for (const file of files) expect(() => layerOf(file)).not.toThrow();
  });

  it("imports go down the layers only", () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (!target.startsWith(SRC)) {
          // The migrations sit below everything; only db/ runs them.
          const migrations = target.startsWith(join(ROOT, "migrations"));
          if (!(migrations && folderOf(file) === "db")) {
            upward.push(`${rel(file)} -> ${relative(ROOT, target)} (outside src/)`);
          }
          continue;
        }
        if (folderOf(file) === folderOf(target)) continue;
        if (layerOf(target) >= layerOf(file)) upward.push(`${rel(file)} -> ${rel(target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("has no import circles", () => {
    // Tarjan's strongly connected components: any component of more than one file is a circle.
    let index = 0;
    const order = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    const visit = (file: string) => {
      order.set(file, index);
      low.set(file, index);
      index++;
      stack.push(file);
      onStack.add(file);
      for (const target of graph.get(file) ?? []) {
        if (!order.has(target)) {
          visit(target);
          low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
        } else if (onStack.has(target)) {
          low.set(file, Math.min(low.get(file) as number, order.get(target) as number));
        }
      }
      if (low.get(file) === order.get(file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(rel(member));
        } while (member !== file);
        if (component.length > 1 || graph.get(file)?.includes(file)) circles.push(component);
      }
    };
    for (const file of files) if (!order.has(file)) visit(file);
    expect(circles).toEqual([]);
  });

  it("platform adapters import no db/ and no table module", () => {
    const reaching: string[] = [];
    for (const [file, targets] of graph) {
      if (folderOf(file) !== "adapters" || rel(file) === "adapters/index.ts") continue;
      for (const target of targets) {
        const path = rel(target);
        if (folderOf(target) === "adapters") continue;
        if (!ADAPTER_MAY_IMPORT.some((allowed) => path.startsWith(allowed))) {
          reaching.push(`${rel(file)} -> ${path}`);
        }
      }
    }
    expect(reaching).toEqual([]);
  });

  it("only a table's own module writes it", () => {
    const strangers: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      const raw = [...source.matchAll(/sql`([^`]*)`/g)].flatMap((m) => [
        ...(m[1] ?? "").matchAll(RAW_WRITE),
      ]);
      for (const match of [...source.matchAll(TABLE_WRITE), ...raw]) {
        const table = (match[1] ?? "").toLowerCase();
        const owner = TABLE_OWNERS[table];
        if (owner === undefined) strangers.push(`${rel(file)} writes ${table}, which has no owner`);
        else if (owner !== rel(file))
          strangers.push(`${rel(file)} writes ${table} (owner: ${owner})`);
      }
    }
    expect(strangers).toEqual([]);
  });

  it("only the services write audit entries: front ends call a service", () => {
    const writers: string[] = [];
    for (const file of files) {
      const path = rel(file);
      if (path.startsWith("services/") || path === "editors/audit.ts") continue;
      const source = readFileSync(file, "utf8");
      if (/\brecordAudit\b/.test(source)) writers.push(path);
    }
    expect(writers).toEqual([]);
  });

  it("one editor check: who is in ADMINS is asked of editors/editors.ts only", () => {
    // Comparing a user with the ADMINS list by hand (`.platform === … && .userId === …`).
    const byHand: string[] = [];
    for (const file of files) {
      const path = rel(file);
      if (path === "editors/editors.ts") continue;
      const source = readFileSync(file, "utf8");
      if (
        /\.userId\s*===|===\s*[\w.]+\.userId\b|`\$\{\w+\.platform\}:\$\{\w+\.userId\}`/.test(source)
      ) {
        byHand.push(path);
      }
    }
    expect(byHand).toEqual([]);
  });

  it("migrations import nothing of the application", () => {
    const reaching: string[] = [];
    for (const file of sourceFiles(join(ROOT, "migrations"))) {
      const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
      for (const { fileName } of info.importedFiles) {
        const target = resolveImport(file, fileName);
        if (target && !target.startsWith(join(ROOT, "migrations"))) {
          reaching.push(`${relative(ROOT, file)} -> ${fileName}`);
        }
      }
    }
    expect(reaching).toEqual([]);
  });

  it(`no file in src/ is over ${SIZE_LIMIT} lines, nor over ${SIZE_WITHOUT_REASON} without a reason at its top`, () => {
    const tooLong: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, "utf8").split("\n");
      const head = lines.slice(0, 15).join("\n");
      if (lines.length > SIZE_LIMIT) tooLong.push(`${rel(file)}: ${lines.length} lines`);
      else if (lines.length > SIZE_WITHOUT_REASON && !SIZE_REASON.test(head)) {
        tooLong.push(`${rel(file)}: ${lines.length} lines and no "longer than 400 lines because"`);
      }
    }
    expect(tooLong).toEqual([]);
  });
});
