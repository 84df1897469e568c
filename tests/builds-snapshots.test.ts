import { readFile, readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { withDuckdb } from "../cli/core/duckdb.ts";
import {
  currentRawFile,
  landingTarget,
  listSnapshots,
  readLandingManifest,
  snapshotForDay,
} from "../cli/core/contracts/landing.ts";
import { landRelation } from "../extract/landing/land-relation.ts";
import { publishLandings, writeLandingManifest } from "../extract/landing/manifest.ts";
import { pruneSnapshots } from "../extract/landing/retention.ts";
import { readParquet, type TestLake, lakesPerTest } from "./helpers/test-lake.ts";

const newLake = lakesPerTest();

const columns = [{ name: "id", type: "BIGINT" }];
/** Land `n` rows of products for an as-of day; publish unless told not to. */
async function land(lake: TestLake, asOf: string, n: number, extractedAt: string, publish = true) {
  const target = landingTarget(lake.paths, "sample", "products", extractedAt);
  await withDuckdb({}, (c) => landRelation(c, { relation: `(select range as id from range(${n}))`, columns, target }));
  const landing = await writeLandingManifest(
    lake.paths,
    { source: "sample", entity: "products", rowCount: n, extractedAt, asOf, driftFields: [] },
    columns,
  );
  return publish ? (await publishLandings(lake.paths, [landing]))[0]! : landing;
}

describe("raw snapshots", () => {
  it("never overwrite: each extraction is a new folder, and the pointer moves only when one is published", async () => {
    const lake = await newLake();
    const first = await land(lake, "2026-11-20", 3, "2026-11-20T06:00:00.000Z");
    expect(first.snapshot).toBe("as_of=2026-11-20/extracted_at=20261120T060000000Z");
    const bytes = await readFile(first.path);
    const pending = await land(lake, "2026-11-21", 5, "2026-11-21T06:00:00.000Z", false);
    // Complete but not published: readers still see the first snapshot.
    expect(currentRawFile(lake.paths, "sample", "products")).toBe(first.path);
    expect((await readLandingManifest(lake.paths, "sample", "products"))?.rowCount).toBe(3);
    await publishLandings(lake.paths, [pending]);
    expect(await readLandingManifest(lake.paths, "sample", "products")).toMatchObject({
      rowCount: 5,
      asOf: "2026-11-21",
      extractedAt: "2026-11-21T06:00:00.000Z",
    });
    expect(await readFile(first.path)).toEqual(bytes);
    expect((await readParquet(first.path, "select count(*) as n from $file"))[0]?.["n"]).toBe(3);
  });

  it("answer which snapshot was current for a past day, and prune by as-of day but never the current one", async () => {
    const lake = await newLake();
    await land(lake, "2026-10-01", 1, "2026-10-01T06:00:00.000Z");
    await land(lake, "2026-11-10", 2, "2026-11-10T06:00:00.000Z");
    await land(lake, "2026-11-10", 3, "2026-11-10T18:00:00.000Z");
    await land(lake, "2026-11-24", 4, "2026-11-24T06:00:00.000Z");
    expect((await listSnapshots(lake.paths, "sample", "products")).map((s) => s.rowCount)).toEqual([1, 2, 3, 4]);
    expect((await snapshotForDay(lake.paths, "sample", "products", "2026-11-15"))?.rowCount).toBe(3);
    expect((await snapshotForDay(lake.paths, "sample", "products", "2026-11-10"))?.rowCount).toBe(3);
    expect(await snapshotForDay(lake.paths, "sample", "products", "2026-09-30")).toBeUndefined();
    // A backfill for an old day becomes current; retention (20 days before the newest, 11-24) keeps it anyway.
    await land(lake, "2026-09-01", 9, "2026-11-25T06:00:00.000Z");
    const removed = await pruneSnapshots(lake.paths, "sample", "products", 20);
    expect(removed).toEqual(["as_of=2026-10-01/extracted_at=20261001T060000000Z"]);
    expect((await readdir(lake.paths.rawEntityDir("sample", "products"))).sort()).toEqual([
      "as_of=2026-09-01",
      "as_of=2026-11-10",
      "as_of=2026-11-24",
      "current.json",
    ]);
    expect((await readLandingManifest(lake.paths, "sample", "products"))?.rowCount).toBe(9);
  });
});
