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

describe("files source: a net amount above the line's gross", () => {
  const columns = {
    order_id: "Order ID",
    ordered_at: "Order Date",
    product_id: "SKU",
    quantity: "Qty",
    unit_price: "Unit Price",
    line_net_amount: "Net",
  };
  const lines = [
    "Order ID,Order Date,SKU,Qty,Unit Price,Net",
    "A1,2024-03-01 10:00:00,S1,2,19.99,39.98",
    // 19.99 x 2 = 39.98 < 50: a negative discount, which stg_orders' test would refuse only at transform.
    "A2,2024-03-01 11:00:00,S1,2,19.99,50",
    // 0.7 x 3 = 2.1 exactly (in doubles 2.0999999999999996): not above.
    "A3,2024-03-01 12:00:00,S2,3,0.7,2.1",
  ];

  it("is refused at extract with its file, line, columns and values", async () => {
    await lake.configure({ path: await file("net-above", "orders.csv", lines), columns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toBe(
      "files: 1 bad line(s) in " +
        join(lake.dir, "net-above", "orders.csv") +
        '; nothing was landed. orders.csv line 3, column "Net" (line_net_amount): "50 > 19.99 x 2" is above the line\'s gross ("Unit Price" x "Qty"): the net amount is after discount, so it cannot exceed the gross',
    );
  });

  it("is quarantined in quarantine mode, and the other lines land", async () => {
    await lake.configure({
      path: await file("net-above-q", "orders.csv", lines),
      columns,
      onBadRows: "quarantine",
    });
    await lake.extract();
    expect(
      await readParquet(
        rawFile(lake.paths, "files", "quarantined_lines"),
        "select location, file_column, value from $file",
      ),
    ).toEqual([{ location: "line 3", file_column: "Net", value: "50 > 19.99 x 2" }]);
    // 39.98 + 2.1 = 42.08.
    expect(
      await readParquet(
        rawFile(lake.paths, "files", "orders"),
        "select sum(discounted_total)::varchar as t from $file",
      ),
    ).toEqual([{ t: "42.080000" }]);
  });
});

describe("files source: lines with another number of fields than the header, in quarantine mode", () => {
  it("are all listed (quarantine cannot take them: which value is whose column cannot be told)", async () => {
    const path = await file("ragged-quarantine", "orders.csv", [
      "Order ID,Order Date,SKU,Qty,Unit Price",
      "A1,2024-03-01 10:00:00,S1,1,1.00",
      "A2,2024-03-01 10:00:00,S1,1,1,00",
      "A3,2024-03-01 10:00:00,S1,1,1.00",
      "A4,2024-03-01 10:00:00,S1,1",
    ]);
    await lake.configure({
      path,
      columns: {
        order_id: "Order ID",
        ordered_at: "Order Date",
        product_id: "SKU",
        quantity: "Qty",
        unit_price: "Unit Price",
      },
      onBadRows: "quarantine",
    });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toBe(
      "files: orders.csv has 2 lines whose number of fields is not its header's 5: line 3 (6 fields), line 5 (4 fields); nothing was landed",
    );
    expect((error as { hint?: string }).hint).toContain('onBadRows: "quarantine" cannot set such a line aside');
  });
});
