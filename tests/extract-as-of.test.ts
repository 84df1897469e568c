import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { extract } from "../extract/index.ts";
import { filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { testLake, type TestLake } from "./helpers/test-lake.ts";

// A future as-of lands data for a day that has not come: every source warns, naming today's date (UTC).
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const today = day(0);
const future = day(3);
const warnings = (lake: { logger: { lines: { level: string; message: string }[] } }) =>
  lake.logger.lines.filter((l) => l.level === "warn").map((l) => l.message);

const cleanups: (TestLake | FilesLake)[] = [];
afterEach(async () => {
  for (const lake of cleanups.splice(0)) await lake.cleanup();
});

/** An order-lines CSV of tests/fixtures/files/orders.csv's columns, one order on `orderedAt`. */
async function ordersCsv(lake: FilesLake, orderedAt: string): Promise<string> {
  const path = join(lake.dir, "orders.csv");
  await writeFile(
    path,
    [
      "Order ID,Order Date,Customer ID,Customer Name,Email,Status,SKU,Product,Category,Qty,Unit Price,Discount %,Net",
      `A-1,${orderedAt} 10:00:00,C-1,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,10.00,0,10.00`,
    ].join("\n") + "\n",
  );
  return path;
}

describe("an as-of after today", () => {
  it("warns for the sample source, naming the setting and today's date", async () => {
    const lake = await testLake({ asOf: future, scale: 0.2 });
    cleanups.push(lake);
    await extract({ config: lake.config, paths: lake.paths, logger: lake.logger });
    expect(warnings(lake)).toEqual([
      `--as-of ${future} is after today (${today}, UTC): the data lands as of a day that has not come yet (raw retention counts back from today at the latest, not from ${future}). Leave out --as-of to extract as of today.`,
    ]);
  });

  it("warns for the files source, whether the as-of is set or is the export's newest order date", async () => {
    const lake = await filesLake();
    cleanups.push(lake);
    const path = await ordersCsv(lake, day(-10));
    await lake.configure({ path, columns: genericColumns }, { asOf: future });
    await lake.extract();
    expect(warnings(lake)).toEqual([
      `--as-of ${future} is after today (${today}, UTC): the data lands as of a day that has not come yet (raw retention counts back from today at the latest, not from ${future}). Leave out --as-of to extract as of the export's newest order date (the files source's default).`,
    ]);

    lake.logger.lines.length = 0;
    await ordersCsv(lake, future);
    await lake.configure({ path, columns: genericColumns });
    await lake.extract();
    expect(warnings(lake)).toEqual([
      `files: the as-of ${future} (the newest order date) is after today (${today}, UTC): check the dates in the file (day-first dates need files.orderLines.dateFormat, e.g. "%d/%m/%Y"), or set the as-of with --as-of.`,
    ]);
  });

  it("does not warn for today or a past day", async () => {
    for (const asOf of [today, day(-5)]) {
      const lake = await testLake({ asOf, scale: 0.2 });
      cleanups.push(lake);
      await extract({ config: lake.config, paths: lake.paths, logger: lake.logger });
      expect(warnings(lake)).toEqual([]);
    }
    const files = await filesLake();
    cleanups.push(files);
    await files.configure({ path: await ordersCsv(files, day(-10)), columns: genericColumns });
    await files.extract();
    expect(warnings(files)).toEqual([]);
  });
});
