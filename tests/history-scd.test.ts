import { describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, withDuckdb } from "../cli/core/duckdb.ts";
import { snapshotDoc } from "../transforms/engine/model-schema.ts";
import { applyDaySql, asOfSql, emptyHistorySql, rewindSql } from "../transforms/engine/snapshots/scd-sql.ts";

// The SCD2 algebra on hand-made days, in DuckDB: each row is (id, price, updated_at) as a source would send it.
type Day = [string, [number, number, string][]];
const check = snapshotDoc.parse({ name: "s", unique_key: "id", strategy: "check", check_cols: ["price"] });
const timestamp = snapshotDoc.parse({ name: "s", unique_key: "id", strategy: "timestamp", updated_at: "updated_at" });

async function apply(c: DuckDBConnection, doc: typeof check, days: Day[], from = "history"): Promise<void> {
  for (const [day, rows] of days) {
    const values = rows.map(([id, price, at]) => `(${id}, ${price}, timestamp '${at}')`).join(", ");
    await c.run(
      `create or replace temp table source as select * from (values ${values || "(0, 0, timestamp '2000-01-01')"}) v(id, price, updated_at)${values ? "" : " where false"}`,
    );
    await c.run(`create or replace temp table next as select * from ${applyDaySql(from, "source", doc, day)}`);
    await c.run("create or replace temp table history as select * from next");
    from = "history";
  }
}
const rows = (c: DuckDBConnection, relation = "history") =>
  queryRows(
    c,
    `select id, price, valid_from::varchar as f, valid_to::varchar as t, is_current as cur, is_deleted as del from ${relation} order by id, valid_from`,
  );
const start = (c: DuckDBConnection) =>
  c.run(
    `create or replace temp table history as select * from ${emptyHistorySql("(select 0 as id, 0 as price, timestamp '2000-01-01' as updated_at)")}`,
  );

describe("SCD type 2 over as-of days", () => {
  it("check strategy: a change opens a version, a disappearance a deleted one, a return a new one", async () => {
    await withDuckdb({}, async (c) => {
      await start(c);
      await apply(c, check, [
        [
          "2026-11-01",
          [
            [1, 10, "2026-11-01 00:00:00"],
            [2, 20, "2026-11-01 00:00:00"],
          ],
        ],
        [
          "2026-11-02",
          [
            [1, 11, "2026-11-01 00:00:00"],
            [2, 20, "2026-11-01 00:00:00"],
          ],
        ],
        ["2026-11-03", [[1, 11, "2026-11-01 00:00:00"]]],
        [
          "2026-11-04",
          [
            [1, 11, "2026-11-01 00:00:00"],
            [2, 25, "2026-11-01 00:00:00"],
          ],
        ],
      ]);
      expect(await rows(c)).toEqual([
        { id: 1, price: 10, f: "2026-11-01", t: "2026-11-02", cur: false, del: false },
        { id: 1, price: 11, f: "2026-11-02", t: null, cur: true, del: false },
        { id: 2, price: 20, f: "2026-11-01", t: "2026-11-03", cur: false, del: false },
        { id: 2, price: 20, f: "2026-11-03", t: "2026-11-04", cur: false, del: true },
        { id: 2, price: 25, f: "2026-11-04", t: null, cur: true, del: false },
      ]);
      // As known on day 2: later versions are not there yet, and the day-2 versions are current.
      expect(await rows(c, asOfSql("history", "2026-11-02"))).toEqual([
        { id: 1, price: 10, f: "2026-11-01", t: "2026-11-02", cur: false, del: false },
        { id: 1, price: 11, f: "2026-11-02", t: null, cur: true, del: false },
        { id: 2, price: 20, f: "2026-11-01", t: null, cur: true, del: false },
      ]);
    });
  });

  it("re-applying a day after rewinding to before it gives the same history (idempotent)", async () => {
    await withDuckdb({}, async (c) => {
      await start(c);
      const days: Day[] = [
        ["2026-11-01", [[1, 10, "2026-11-01 00:00:00"]]],
        ["2026-11-02", [[1, 12, "2026-11-01 00:00:00"]]],
      ];
      await apply(c, check, days);
      const once = await rows(c);
      await c.run(`create or replace temp table rewound as select * from ${rewindSql("history", "2026-11-02")}`);
      await apply(c, check, [days[1]!], "rewound");
      expect(await rows(c)).toEqual(once);
    });
  });

  it("timestamp strategy: a new version only when updated_at moves forward", async () => {
    await withDuckdb({}, async (c) => {
      await start(c);
      await apply(c, timestamp, [
        ["2026-11-01", [[1, 10, "2026-11-01 08:00:00"]]],
        // The price differs but updated_at did not move: no new version.
        ["2026-11-02", [[1, 99, "2026-11-01 08:00:00"]]],
        ["2026-11-03", [[1, 12, "2026-11-03 09:30:00"]]],
      ]);
      expect(await rows(c)).toEqual([
        { id: 1, price: 10, f: "2026-11-01", t: "2026-11-03", cur: false, del: false },
        { id: 1, price: 12, f: "2026-11-03", t: null, cur: true, del: false },
      ]);
    });
  });
});
