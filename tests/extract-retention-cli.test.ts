// @module-tag slow
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { lakesPerTest, type TestLake } from "./helpers/test-lake.ts";

// The real bin: an extract for a day after today (a typo, 2099) must not make raw retention remove the days before.
const newLake = lakesPerTest();

/** The as-of days of an entity's snapshot folders, read from the disk. */
async function days(lake: TestLake, source: string, entity: string): Promise<string[]> {
  return (await readdir(lake.paths.rawEntityDir(source, entity))).filter((d) => d.startsWith("as_of=")).sort();
}

describe("raw retention through the CLI", () => {
  it("extract --as-of 2099-01-01 and the plain extracts after it remove no snapshot of the days before", async () => {
    const lake = await newLake();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const extract = async (...args: string[]) => {
      const result = await runCli(["extract", "--source", "sample", "--scale", "0.2", "--data-dir", lake.dir, ...args]);
      expect(result.code, result.stderr).toBe(0);
      return result.stderr;
    };
    await extract("--as-of", day(-6));
    await extract("--as-of", day(-2));
    await extract();
    const before = [`as_of=${day(-6)}`, `as_of=${day(-2)}`, `as_of=${day(0)}`];
    expect(await days(lake, "sample", "orders")).toEqual(before);
    const future = await extract("--as-of", "2099-01-01");
    expect(future).toContain("is after today");
    expect(future).not.toContain("removed");
    expect(await days(lake, "sample", "orders")).toEqual([...before, "as_of=2099-01-01"]);
    expect(await extract()).not.toContain("removed");
    const orders = await readdir(join(lake.paths.rawEntityDir("sample", "orders"), `as_of=${day(0)}`));
    expect(orders).toHaveLength(2);
    expect(await days(lake, "sample", "orders")).toEqual([...before, "as_of=2099-01-01"]);
  });
});
