import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesFixture, filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { rawFile, readParquet } from "./helpers/test-lake.ts";

let lake: FilesLake;
const digest = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");

beforeAll(async () => {
  lake = await filesLake();
  await lake.configure({ path: filesFixture("orders.csv"), columns: genericColumns });
  await lake.extract();
});
afterAll(() => lake.cleanup());

/** A file of these lines in a new folder of the lake; returns its path. */
async function file(folder: string, name: string, lines: string[]): Promise<string> {
  const dir = join(lake.dir, folder);
  await mkdir(dir);
  await writeFile(join(dir, name), lines.map((l) => `${l}\n`).join(""));
  return join(dir, name);
}

describe("files source: an empty export", () => {
  it("is refused as empty (0 bytes), not as a missing column; the previous snapshot stays current", async () => {
    const before = await digest(rawFile(lake.paths, "files", "orders"));
    await lake.configure({ path: await file("empty", "orders.csv", []), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toBe("files: orders.csv is empty (0 bytes); nothing was landed");
    expect(await digest(rawFile(lake.paths, "files", "orders"))).toBe(before);
  });
});

describe("files source: a header that names two columns alike", () => {
  const columns = {
    order_id: "Order ID",
    ordered_at: "Order Date",
    product_id: "SKU",
    quantity: "Qty",
    unit_price: "Unit Price",
  };

  it("refuses a mapped one, naming the file, the column and both positions", async () => {
    const path = await file("dup-mapped", "orders.csv", [
      "Order ID,Order Date,SKU,Qty,Unit Price,Qty",
      "A1,2024-03-01 10:00:00,S1,2,19.99,3",
    ]);
    await lake.configure({ path, columns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'files.orderLines.columns.quantity: column "Qty" is in the header of orders.csv twice (columns 4 and 6), so quantity cannot be read; nothing was landed',
    );
    expect((error as { hint?: string }).hint).toContain("Rename the columns in the file's header");
  });

  it("lands unmapped ones as drift, with a warning naming the header's columns", async () => {
    const path = await file("dup-drift", "orders.csv", [
      "Order ID,Order Date,SKU,Qty,Unit Price,Net,Net",
      "A1,2024-03-01 10:00:00,S1,2,19.99,39.98,50",
    ]);
    await lake.configure({ path, columns });
    await lake.extract();
    expect(lake.logger.text()).toContain(
      'files: column "Net" is in the header of orders.csv twice (columns 6 and 7); unmapped, they land as drift: column 6 as "Net", column 7 as "Net_1"',
    );
    expect(await readParquet(rawFile(lake.paths, "files", "order_items"), 'select "Net", "Net_1" from $file')).toEqual([
      { Net: "39.98", Net_1: "50" },
    ]);
  });
});
