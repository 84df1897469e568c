import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../cli/core/config.ts";
import { withDuckdb } from "../cli/core/duckdb.ts";
import { filesFixture, filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { rawFile, rawManifestFile, readParquet } from "./helpers/test-lake.ts";

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

/** A CSV with orders.csv's header and these lines, in a new folder of the lake; returns the folder. */
async function ordersCsv(folder: string, files: Record<string, string[]>): Promise<string> {
  const dir = join(lake.dir, folder);
  await mkdir(dir);
  const header = (await readFile(filesFixture("orders.csv"), "utf8")).split("\n")[0];
  for (const [name, lines] of Object.entries(files))
    await writeFile(join(dir, name), [header, ...lines, ""].join("\n"));
  return dir;
}

describe("files source: bad lines", () => {
  it("refuses the whole snapshot, naming file, line, column and value; the previous one stays current", async () => {
    const before = {
      orders: await digest(rawFile(lake.paths, "files", "orders")),
      items: await digest(rawFile(lake.paths, "files", "order_items")),
      manifest: await readFile(rawManifestFile(lake.paths, "files", "orders"), "utf8"),
    };
    await lake.configure({ path: filesFixture("orders-bad.csv"), columns: genericColumns });
    // Record 2 spans lines 3-4 (a quoted newline), so record 4 ("two") is on line 6 and record 5 on line 7.
    const error = await lake.extract().catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("files: 2 bad line(s)");
    expect((error as Error).message).toContain(
      'orders-bad.csv line 6, column "Qty" (quantity): "two" is not a whole number',
    );
    expect((error as Error).message).toContain('orders-bad.csv line 7, column "Order Date" (ordered_at): "31/04/2024"');
    expect(await digest(rawFile(lake.paths, "files", "orders"))).toBe(before.orders);
    expect(await digest(rawFile(lake.paths, "files", "order_items"))).toBe(before.items);
    expect(await readFile(rawManifestFile(lake.paths, "files", "orders"), "utf8")).toBe(before.manifest);
  });

  it('with onBadRows: "quarantine" lands the other lines and counts the bad ones in the manifest', async () => {
    await lake.configure({ path: filesFixture("orders-bad.csv"), columns: genericColumns, onBadRows: "quarantine" });
    await lake.extract();
    const manifest = JSON.parse(await readFile(rawManifestFile(lake.paths, "files", "orders"), "utf8"));
    expect(manifest.details.quarantined).toBe(2);
    expect(manifest.rowCount).toBe(4);
    expect(
      await readParquet(
        rawFile(lake.paths, "files", "quarantined_lines"),
        "select file, location, field, file_column, value from $file",
      ),
    ).toEqual([
      // The file relative to the configured path's folder: never the absolute path (a home folder) in the lake.
      { file: "orders-bad.csv", location: "line 6", field: "quantity", file_column: "Qty", value: "two" },
      {
        file: "orders-bad.csv",
        location: "line 7",
        field: "ordered_at",
        file_column: "Order Date",
        value: "31/04/2024",
      },
    ]);
    // The lake's own folder (a --data-dir), not a fixed data/raw.
    expect(lake.logger.text()).toContain(
      `2 bad line(s) quarantined: see the files/quarantined_lines snapshot in ${join(lake.paths.rawDir("files"), "quarantined_lines")}/`,
    );
    // 19.99 + 30.00 + 7.50 + 24.69 = 82.18 lands; the quarantined 15.00 and 19.99 do not.
    expect(
      await readParquet(
        rawFile(lake.paths, "files", "orders"),
        "select sum(discounted_total)::varchar as t from $file",
      ),
    ).toEqual([{ t: "82.180000" }]);
    expect(
      await readParquet(
        rawFile(lake.paths, "files", "products"),
        "select title from $file where product_key = 'SKU-E'",
      ),
    ).toEqual([{ title: "Frame, oak\n(two lines)" }]);
  });
});

describe("files source: a bad value in the second file of a glob", () => {
  it("names that file and its own line (the typed read stops; the text read finds the line)", async () => {
    const dir = await ordersCsv("glob", {
      "orders-2.csv": [
        "CA-3001,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,19.99,0,19.99,web",
        "CA-3002,2024-05-02 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,1,7.50,0,7.50,web",
        "CA-3003,2024-05-03 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,1,7.50,0,7.5O,web",
      ],
    });
    await copyFile(filesFixture("orders.csv"), join(dir, "orders-1.csv"));
    await lake.configure({ path: join(dir, "orders-*.csv"), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("files: 1 bad line(s)");
    expect((error as Error).message).toContain(
      'orders-2.csv line 4, column "Net" (line_net_amount): "7.5O" is not a number',
    );
    expect(lake.logger.text()).toContain("the typed read stopped");
  });
});

describe("files source: quarantined lines of a glob over folders", () => {
  it("record each file relative to the glob's base folder, and no absolute path lands with them", async () => {
    const dir = await ordersCsv("quarantine-glob", {});
    const lines = [
      "CA-6001,2024-08-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,19.99,0,19.99,web",
      "CA-6002,2024-08-02 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,x,7.50,0,7.50,web",
    ];
    const header = (await readFile(filesFixture("orders.csv"), "utf8")).split("\n")[0];
    for (const month of ["2024-07", "2024-08"]) {
      await mkdir(join(dir, month));
      await writeFile(join(dir, month, "orders.csv"), [header, ...lines, ""].join("\n"));
    }
    await lake.configure({ path: join(dir, "*", "orders.csv"), columns: genericColumns, onBadRows: "quarantine" });
    await lake.extract();
    const snapshot = rawFile(lake.paths, "files", "quarantined_lines");
    expect(await readParquet(snapshot, "select file, location from $file order by file")).toEqual([
      { file: "2024-07/orders.csv", location: "line 3" },
      { file: "2024-08/orders.csv", location: "line 3" },
    ]);
    expect((await readFile(snapshot)).includes(lake.dir)).toBe(false);
    expect(await readFile(rawManifestFile(lake.paths, "files", "quarantined_lines"), "utf8")).not.toContain(lake.dir);
  });
});

describe("files source: a fractional quantity", () => {
  it("is refused with its line, never rounded (a cast would make 2.5 units 3)", async () => {
    const dir = await ordersCsv("fractional", {
      "orders.csv": [
        "CA-4001,2024-06-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,2.0,19.99,0,39.98,web",
        "CA-4002,2024-06-02 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,2.5,7.50,0,18.75,web",
      ],
    });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("files: 1 bad line(s)");
    expect((error as Error).message).toContain(
      'orders.csv line 3, column "Qty" (quantity): "2.5" is not a whole number',
    );
  });
});

describe("files source: zero-quantity lines", () => {
  it("are dropped and counted, with the orders they leave empty", async () => {
    const dir = await ordersCsv("zero", {
      "orders.csv": [
        "CA-5001,2024-07-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,19.99,0,19.99,web",
        "CA-5001,2024-07-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-B,Mug,Kitchen,0,7.50,0,0,web",
        "CA-5002,2024-07-02 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,0,7.50,0,0,web",
      ],
    });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    await lake.extract();
    const manifest = JSON.parse(await readFile(rawManifestFile(lake.paths, "files", "orders"), "utf8"));
    expect(manifest.details.conflicts).toMatchObject({ zero_quantity_lines: 2, zero_quantity_orders: 1 });
    expect(await readParquet(rawFile(lake.paths, "files", "orders"), "select count(*)::int as n from $file")).toEqual([
      { n: 1 },
    ]);
    expect(lake.logger.text()).toMatch(/zero quantity lines: 2, zero quantity orders: 1/);
  });
});

describe("files source: mapping errors name the key", () => {
  const load = (orderLines: Record<string, unknown>) =>
    loadConfig({ env: {}, cwd: lake.dir, flags: { source: "files", ...flatten("files.orderLines", orderLines) } });

  it("a missing required field", async () => {
    const { quantity: _, ...columns } = genericColumns;
    await expect(load({ path: "x.csv", columns })).rejects.toThrow(
      /Invalid config "files\.orderLines\.columns\.quantity".*required/,
    );
  });

  it("an unknown field", async () => {
    await expect(load({ path: "x.csv", columns: { ...genericColumns, quantty: "Qty" } })).rejects.toThrow(
      /files\.orderLines\.columns.*quantty/,
    );
  });

  it("a typo in a column key: suggests the canonical field, never the top-level keys", async () => {
    const { unit_price: _, ...columns } = genericColumns;
    const error = await lake
      .configure({ path: "x.csv", columns: { ...columns, unit_prise: "Unit Price" } })
      .catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'Unknown config key "files.orderLines.columns.unit_prise" in duckmart.config.ts: did you mean "files.orderLines.columns.unit_price"?',
    );
    const far = await lake
      .configure({ path: "x.csv", columns: { ...genericColumns, zzz: "Unit Price" } })
      .catch((e: Error) => e);
    expect((far as Error).message).toContain(
      'the keys of files.orderLines.columns are "order_id", "ordered_at", "product_id", "quantity"',
    );
    expect((far as Error).message).not.toContain("dataDir");
  });

  it("a column that is not text names the key once and the expected type", async () => {
    const error = await lake
      .configure({ path: "x.csv", columns: { ...genericColumns, order_status: 5 } })
      .catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'Invalid config "files.orderLines.columns.order_status" in duckmart.config.ts: must be a column name (text) of your file, or a list of column names (got 5)',
    );
  });

  it("a column the file does not have, and a path that matches nothing", async () => {
    await lake.configure({ path: filesFixture("orders.csv"), columns: { ...genericColumns, quantity: "Quantity" } });
    await expect(lake.extract()).rejects.toThrow(/files\.orderLines\.columns\.quantity: column "Quantity" is not in/);
    await lake.configure({ path: "no-such-*.csv", columns: genericColumns });
    await expect(lake.extract()).rejects.toThrow(/files\.orderLines\.path: "no-such-\*\.csv" matched no file/);
  });
});

function flatten(prefix: string, value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).flatMap(([k, v]) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.entries(flatten(`${prefix}.${k}`, v as Record<string, unknown>))
        : [[`${prefix}.${k}`, v]],
    ),
  );
}

describe("files source: values past the CSV sniffer's sample (it reads the first 20,480 lines)", () => {
  const line = (i: number, date: string, qty: string) =>
    `CA-${i},${date},C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,${qty},2.00,0,${2 * Number(qty)},web`;
  const many = (last: string) => [
    ...Array.from({ length: 25_000 }, (_, i) => line(10_000 + i, "2024-06-01 10:00:00", "1")),
    last,
  ];

  it("reads a date with a UTC offset the typed read cannot take, through the text read, at local time", async () => {
    const dir = await ordersCsv("late-offset", { "orders.csv": many(line(99_999, "2024-06-02 11:30:00 -0500", "3")) });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    await lake.extract();
    expect(
      await readParquet(
        rawFile(lake.paths, "files", "orders"),
        "select count(*) as n, sum(total_quantity)::int as units, max(ordered_at)::varchar as newest from $file",
      ),
    ).toEqual([{ n: 25_001, units: 25_003, newest: "2024-06-02 11:30:00" }]);
    // The scratch file of the typed lines does not outlive the extract.
    expect(
      (await readdir(join(lake.paths.root, ".duckdb-tmp")).catch(() => [])).filter((f) => f.startsWith("files-lines")),
    ).toEqual([]);
  });

  it("refuses a fractional quantity there too, with its line (a typed read must not round it)", async () => {
    const dir = await ordersCsv("late-fraction", { "orders.csv": many(line(99_999, "2024-06-02 11:30:00", "2.5")) });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toContain(
      'orders.csv line 25002, column "Qty" (quantity): "2.5" is not a whole number',
    );
  });
});

describe("files source: money past six decimals", () => {
  it("is refused with its line instead of rounded (the marts' totals must be the file's)", async () => {
    const dir = await ordersCsv("seven-decimals", {
      "orders.csv": [
        "CA-7001,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,19.99,0,19.99,web",
        "CA-7002,2024-05-02 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,3,2.3333333,0,6.9999999,web",
      ],
    });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toContain("files: 1 bad line(s)");
    expect((error as Error).message).toContain(
      'orders.csv line 3, column "Net" (line_net_amount): "6.9999999" is not a number with at most 6 decimals',
    );
  });

  it("keeps six decimals exactly, and rounds only a float column's binary noise (Parquet)", async () => {
    const dir = await ordersCsv("six-decimals", {
      "orders.csv": [
        "CA-7101,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,19.99,12.5,17.49125,web",
        "CA-7102,2024-05-02 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,3,0.333333,0,0.999999,web",
        // Past the fast 64-bit read (999,999,999.999999999): the text read converts it, exactly.
        "CA-7103,2024-05-03 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-C,Yacht,Boats,1,1234567890.5,0,1234567890.5,web",
      ],
    });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    await lake.extract();
    const total = "select sum(discounted_total)::varchar as t from $file";
    // 17.49125 + 0.999999 + 1234567890.5 = 1234567908.991249, to the millionth.
    expect(await readParquet(rawFile(lake.paths, "files", "orders"), total)).toEqual([{ t: "1234567908.991249" }]);
    const parquet = join(dir, "orders.parquet");
    await withDuckdb({}, (c) =>
      c.run(
        `copy (select * replace (cast("Net" as double) + 1e-12 as "Net") from read_csv('${join(dir, "orders.csv")}', all_varchar = true)) to '${parquet}' (format parquet)`,
      ),
    );
    await lake.configure({ path: parquet, columns: genericColumns });
    await lake.extract();
    expect(await readParquet(rawFile(lake.paths, "files", "orders"), total)).toEqual([{ t: "1234567908.991249" }]);
  });
});

describe("files source: an export with no order lines", () => {
  it("is refused, and the previous snapshot stays current (a header-only file would have emptied every mart)", async () => {
    await lake.configure({ path: filesFixture("orders.csv"), columns: genericColumns });
    await lake.extract();
    const before = await digest(rawFile(lake.paths, "files", "orders"));
    const dir = await ordersCsv("header-only", { "orders.csv": [] });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toMatch(/files: no order lines in .*orders\.csv \(0 line\(s\) read/);
    expect(await digest(rawFile(lake.paths, "files", "orders"))).toBe(before);
  });
});

describe("files source: a negative amount on a sale line", () => {
  it("is refused with its line (only a return, with a negative quantity, carries negative amounts)", async () => {
    const dir = await ordersCsv("negative", {
      "orders.csv": [
        "CA-8001,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,2,-12.50,0,-25.00,web",
        "CA-8002,2024-05-02 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,-1,7.50,0,-7.50,web",
      ],
    });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toContain("files: 1 bad line(s)");
    expect((error as Error).message).toContain(
      'orders.csv line 2, column "Net" (line_net_amount): "-25.00" is negative on a line with a positive quantity',
    );
  });
});

describe("files source: a line with more or fewer fields than the header", () => {
  const good = (i: number) =>
    `CA-9${i},2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,19.99,0,19.99,web`;
  it.each([
    [
      "an extra field (an unquoted comma)",
      3,
      "CA-999,2024-05-01 10:00:00,C-01,Silva, Ana,ana@example.com,completed,SKU-A,Lamp,Home,1,19.99,0,19.99,web",
      15,
    ],
    [
      "a missing field",
      3,
      "CA-999,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,19.99,0,19.99",
      13,
    ],
    ["the last line", 5, "CA-999,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,1,19.99", 10],
  ])("%s is named with its line and field count", async (_, line, bad, fields) => {
    const lines = [good(1), good(2), good(3)];
    lines.splice(line - 2, 0, bad);
    const dir = await ordersCsv(`ragged-${line}-${fields}`, { "orders.csv": lines });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toBe(
      `files: orders.csv line ${line} has ${fields} fields where its header has 14; nothing was landed`,
    );
  });
});

describe("files source: order ids that start with #", () => {
  it("land every line (DuckDB's sniffer took # for a comment marker and dropped them without a word)", async () => {
    const line = (id: string, net: string) =>
      `${id},2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,${net},0,${net},web`;
    const dir = await ordersCsv("hash-ids", {
      "orders.csv": [line("1001", "1.00"), line("#1002", "2.00"), line("1003", "4.00"), line("#1004", "8.00")],
    });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    await lake.extract();
    expect(
      await readParquet(
        rawFile(lake.paths, "files", "orders"),
        "select string_agg(order_number, ',' order by order_number) as ids, sum(discounted_total)::varchar as t from $file",
      ),
    ).toEqual([{ ids: "#1002,#1004,1001,1003", t: "15.000000" }]);
  });

  it("still name a ragged line among them", async () => {
    const line = (id: string) =>
      `${id},2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,1.00,0,1.00,web`;
    const dir = await ordersCsv("hash-ragged", {
      "orders.csv": [line("#1001"), line("#1002").replace("Ana Silva", "Silva, Ana"), line("#1003")],
    });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toBe(
      "files: orders.csv line 3 has 15 fields where its header has 14; nothing was landed",
    );
  });
});

describe("files source: an amount too large for a line", () => {
  it("is refused with its line, before a derived total overflows in DuckDB with no line to name", async () => {
    const dir = await ordersCsv("too-large", {
      "orders.csv": [
        "CA-9901,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,19.99,0,19.99,web",
        "CA-9902,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,2,60000000000,0,120000000000,web",
      ],
    });
    await lake.configure({ path: join(dir, "orders.csv"), columns: genericColumns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toContain(
      'orders.csv line 3, column "Net" (line_net_amount): "120000000000" is too large',
    );
  });

  it("lands an amount just below 10^11, and derives gross, discount and unit price from it in exact decimals", async () => {
    const dir = await ordersCsv("just-below", {
      "orders.csv": [
        // 99,999,999,999.999999 is 10^11 as a DOUBLE: it was refused as too large, or landed as 10^11.
        "CA-9911,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,1,,0,99999999999.999999,web",
        // gross = 70,000,000,000.000006 / 0.875 = 80,000,000,000.000006857... -> 80,000,000,000.000007 (a DOUBLE:
        // 80,000,000,000.0); discount = gross - net = 10,000,000,000.000001; unit price = gross / 2 =
        // 40,000,000,000.0000035 -> 40,000,000,000.000004 (half away from zero).
        "CA-9912,2024-05-02 10:00:00,C-02,Ben Okafor,ben@example.com,completed,SKU-B,Mug,Kitchen,2,,12.5,70000000000.000006,web",
      ],
    });
    const { unit_price: _unitPrice, ...netOnly } = genericColumns;
    await lake.configure({ path: join(dir, "orders.csv"), columns: netOnly });
    await lake.extract();
    expect(
      await readParquet(
        rawFile(lake.paths, "files", "order_items"),
        `select unit_price::varchar as unit, line_total::varchar as gross,
            (line_total - discounted_line_total)::varchar as discount, discounted_line_total::varchar as net
         from $file order by order_item_id`,
      ),
    ).toEqual([
      { unit: "99999999999.999999", gross: "99999999999.999999", discount: "0.000000", net: "99999999999.999999" },
      {
        unit: "40000000000.000004",
        gross: "80000000000.000007",
        discount: "10000000000.000001",
        net: "70000000000.000006",
      },
    ]);
    // Just past the limit: 2 x 50,000,000,000.000001 = 100,000,000,000.000002.
    const past = await ordersCsv("just-past", {
      "orders.csv": [
        "CA-9913,2024-05-01 10:00:00,C-01,Ana Silva,ana@example.com,completed,SKU-A,Lamp,Home,2,50000000000.000001,0,,web",
      ],
    });
    await lake.configure({ path: join(past, "orders.csv"), columns: genericColumns });
    expect(((await lake.extract().catch((e: Error) => e)) as Error).message).toContain(
      'orders.csv line 2, column "Unit Price" (unit_price): "50000000000.000001" is too large',
    );
  });
});

describe("files source: NDJSON values of mixed types (a JSON column)", () => {
  it("reads and quotes a string amount as its text, not as JSON", async () => {
    const dir = await ordersCsv("ndjson-mixed", {});
    const record = (id: string, net: unknown) =>
      JSON.stringify({
        "Order ID": id,
        "Order Date": "2024-05-01 10:00:00",
        SKU: "SKU-A",
        Qty: 1,
        Net: net,
      });
    await writeFile(
      join(dir, "orders.ndjson"),
      [record("A1", 0.5), record("A2", "0.25"), record("A3", "0.6700001"), ""].join("\n"),
    );
    const columns = {
      order_id: "Order ID",
      ordered_at: "Order Date",
      product_id: "SKU",
      quantity: "Qty",
      line_net_amount: "Net",
    };
    await lake.configure({ path: join(dir, "orders.ndjson"), columns });
    const error = await lake.extract().catch((e: Error) => e);
    expect((error as Error).message).toContain(
      'orders.ndjson line 3, column "Net" (line_net_amount): "0.6700001" is not a number with at most 6 decimals',
    );
  });
});
