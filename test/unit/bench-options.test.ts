import { describe, expect, it } from "vitest";
import { chosenStores, parseBenchArgs } from "../../bench/options";

const SECTIONS = ["broadcast", "digest", "search"];

describe("npm run bench arguments", () => {
  it("reads a section and its sizes", () => {
    expect(
      parseBenchArgs(["broadcast", "--readers", "200000", "--processes", "3"], SECTIONS),
    ).toEqual({ section: "broadcast", options: { readers: 200_000, processes: 3 } });
    expect(parseBenchArgs(["search", "--stories", "1000000"], SECTIONS)).toEqual({
      section: "search",
      options: { stories: 1_000_000 },
    });
  });

  it("runs everything at the documented sizes when given nothing", () => {
    expect(parseBenchArgs([], SECTIONS)).toEqual({ section: undefined, options: {} });
    expect(parseBenchArgs(["digest"], SECTIONS)).toEqual({ section: "digest", options: {} });
  });

  it.each([
    [["nope"], /no section "nope"; sections: broadcast, digest, search/],
    [["broadcast", "--processes"], /--processes needs a whole number, not ""/],
    [["broadcast", "--processes", "0"], /--processes needs a whole number, not "0"/],
    [["broadcast", "--readers", "1.5"], /--readers needs a whole number/],
    [["broadcast", "--readers", "1e6"], /--readers needs a whole number/],
    [["broadcast", "--readers", "-3"], /--readers needs a whole number/],
    [["broadcast", "--reader", "5"], /unknown argument "--reader"/],
    [["broadcast", "--readers", "5", "--readers", "6"], /--readers given twice/],
    [["broadcast", "--readers", "5", "extra"], /unknown argument "extra"/],
  ])("refuses %j", (argv, message) => {
    const parsed = parseBenchArgs(argv, SECTIONS);
    expect("error" in parsed && parsed.error).toMatch(message);
  });
});

describe("BENCH_SEARCH_STORES", () => {
  it("runs both stores unless told one", () => {
    expect(chosenStores(undefined)).toEqual(["sqlite", "postgres"]);
    expect(chosenStores(" ")).toEqual(["sqlite", "postgres"]);
    expect(chosenStores("postgres")).toEqual(["postgres"]);
    expect(chosenStores("postgres, sqlite")).toEqual(["sqlite", "postgres"]);
  });

  it("refuses a store it does not know, naming it", () => {
    expect(() => chosenStores("sqlite,mysql")).toThrow(
      /no store "mysql"; stores: sqlite, postgres/,
    );
  });
});
