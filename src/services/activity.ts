/**
 * The newsroom's last days, day by day (its own dates): stories stored, messages sent, new
 * readers, stories opened. Rows are counted per UTC hour in the database (so a day with a
 * million messages sent is still one small answer) and the hours are put in the newsroom's days
 * here.
 */
import { sql } from "kysely";
import type { Db } from "../db/schema";
import { dayBefore, readDay } from "../news/reads";

export interface DailyActivity {
  /** The days, oldest first ("YYYY-MM-DD", the newsroom's dates); the last is today. */
  days: string[];
  storiesStored: number[];
  messagesSent: number[];
  newReaders: number[];
  storiesOpened: number[];
}

type HourCounts = { hour: string; n: number | string }[];

/** A column's rows at or after `since`, counted per UTC hour ("YYYY-MM-DDTHH"). */
function perHour(
  db: Db,
  table: "articles" | "outbox" | "readers",
  column: "fetched_at" | "sent_at" | "created_at",
  since: string,
): Promise<HourCounts> {
  const hour = sql<string>`substr(${sql.ref(column)}, 1, 13)`;
  return sql<{ hour: string; n: number | string }>`
    select ${hour} as hour, count(*) as n from ${sql.table(table)}
    where ${sql.ref(column)} >= ${since}
    ${table === "readers" ? sql`and chat_type <> 'channel'` : sql``}
    group by ${hour}`
    .execute(db)
    .then((r) => r.rows);
}

export async function dailyActivity(
  db: Db,
  options: { now: Date; timeZone: string; days?: number },
): Promise<DailyActivity> {
  const count = options.days ?? 30;
  const today = readDay(options.now, options.timeZone);
  const days = Array.from({ length: count }, (_, i) => dayBefore(today, count - 1 - i));
  const index = new Map(days.map((day, i) => [day, i]));
  // A day more than asked: the first local day may start before its UTC date.
  const since = `${dayBefore(days[0] ?? today, 1)}T00:00:00.000Z`;

  function spread(rows: HourCounts): number[] {
    const out = days.map(() => 0);
    for (const row of rows) {
      const day = readDay(new Date(`${row.hour}:00:00.000Z`), options.timeZone);
      const i = index.get(day);
      if (i !== undefined) out[i] = (out[i] ?? 0) + Number(row.n);
    }
    return out;
  }

  const [stored, sent, readers, opened] = await Promise.all([
    perHour(db, "articles", "fetched_at", since),
    perHour(db, "outbox", "sent_at", since),
    perHour(db, "readers", "created_at", since),
    db
      .selectFrom("story_reads")
      .select(["day", (eb) => eb.fn.sum<number>("count").as("n")])
      .where("day", ">=", days[0] ?? today)
      .groupBy("day")
      .execute(),
  ]);
  const openedPerDay = days.map(() => 0);
  for (const row of opened) {
    const i = index.get(row.day);
    if (i !== undefined) openedPerDay[i] = Number(row.n);
  }
  return {
    days,
    storiesStored: spread(stored),
    messagesSent: spread(sent),
    newReaders: spread(readers),
    storiesOpened: openedPerDay,
  };
}
