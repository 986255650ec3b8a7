/**
 * The command line of `npm run bench`: `[<section>] [--readers N] [--stories N] [--processes N]`.
 * A size flag is a whole number of at least 1; a flag given twice, an unknown flag or a stray
 * word is refused, so a typo never runs a long benchmark at the wrong size.
 */
export interface SizeOptions {
  readers?: number;
  stories?: number;
  processes?: number;
}

export type BenchArgs = { section?: string; options: SizeOptions } | { error: string };

const SIZE_FLAGS = ["readers", "stories", "processes"] as const;

export function parseBenchArgs(argv: string[], sections: string[]): BenchArgs {
  const [first, ...rest] = argv;
  const section = first !== undefined && !first.startsWith("--") ? first : undefined;
  if (section !== undefined && !sections.includes(section)) {
    return { error: `no section "${section}"; sections: ${sections.join(", ")}` };
  }
  const args = section === undefined ? argv : rest;
  const options: SizeOptions = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] as string;
    const name = SIZE_FLAGS.find((f) => flag === `--${f}`);
    if (!name)
      return { error: `unknown argument "${flag}"; flags: --readers, --stories, --processes` };
    if (options[name] !== undefined) return { error: `--${name} given twice` };
    const text = args[i + 1] ?? "";
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < 1) {
      return { error: `--${name} needs a whole number, not "${text}"` };
    }
    options[name] = value;
  }
  return { section, options };
}

/**
 * BENCH_SEARCH_STORES=sqlite or =postgres runs one store only (seeding a million stories takes
 * most of an hour on each); both by default.
 */
export function chosenStores(value: string | undefined): ("sqlite" | "postgres")[] {
  const names = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) return ["sqlite", "postgres"];
  const unknown = names.filter((n) => n !== "sqlite" && n !== "postgres");
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_SEARCH_STORES: no store "${unknown.join(", ")}"; stores: sqlite, postgres`,
    );
  }
  return (["sqlite", "postgres"] as const).filter((n) => names.includes(n));
}
