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
import { writeBuildManifest, buildLayout, type BuildManifest } from "../cli/core/contracts/build-manifest.ts";
import { writeJsonAtomic } from "../cli/core/atomic.ts";
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
    const removed = await pruneSnapshots(lake.paths, "sample", "products", 20, "2026-11-26");
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

/** The as-of days of an entity's snapshot folders, read from the disk. */
async function days(lake: TestLake, source: string, entity: string): Promise<string[]> {
  return (await readdir(lake.paths.rawEntityDir(source, entity))).filter((d) => d.startsWith("as_of=")).sort();
}

describe("raw retention and an as-of after today", () => {
  it("counts back from the newest as-of not after today, and keeps what the current build read", async () => {
    const lake = await newLake();
    await land(lake, "2026-10-01", 1, "2026-10-01T06:00:00.000Z");
    await land(lake, "2026-10-20", 2, "2026-10-20T06:00:00.000Z");
    await land(lake, "2026-11-20", 3, "2026-11-20T06:00:00.000Z");
    await land(lake, "2026-11-24", 4, "2026-11-24T06:00:00.000Z");
    await land(lake, "2099-01-01", 5, "2026-11-25T06:00:00.000Z");
    // The current build replayed 2026-10-01: it read the oldest snapshot, which must stay.
    const buildId = "b-20261125-070000-abcd";
    const build: BuildManifest = {
      buildId,
      status: "passed",
      createdAt: "2026-11-25T07:00:00.000Z",
      asOf: "2026-10-01",
      shopSource: "sample",
      shopSourceOrigin: "configured",
      paymentsSource: "none",
      inputs: [
        {
          name: "raw_products",
          source: "sample",
          entity: "products",
          snapshot: "as_of=2026-10-01/extracted_at=20261001T060000000Z",
          asOf: "2026-10-01",
          extractedAt: "2026-10-01T06:00:00.000Z",
          rowCount: 1,
        },
      ],
      modelsFingerprint: "0".repeat(64),
      models: [],
    };
    await writeBuildManifest(buildLayout(lake.paths, buildId).manifest, build);
    await writeJsonAtomic(lake.paths.buildPointer, { buildId, promotedAt: "2026-11-25T07:00:00.000Z" });
    // Today 2026-11-26, 10 days: the cutoff is 2026-11-14 (11-24 minus 10), not 2098-12-22 (2099-01-01 minus 10).
    const removed = await pruneSnapshots(lake.paths, "sample", "products", 10, "2026-11-26");
    expect(removed).toEqual(["as_of=2026-10-20/extracted_at=20261020T060000000Z"]);
    expect(await days(lake, "sample", "products")).toEqual([
      "as_of=2026-10-01",
      "as_of=2026-11-20",
      "as_of=2026-11-24",
      "as_of=2099-01-01",
    ]);
    // Every snapshot in the future: nothing before today-10 exists, nothing goes.
    const future = await newLake();
    await land(future, "2099-01-01", 1, "2026-11-25T06:00:00.000Z");
    await land(future, "2099-02-01", 2, "2026-11-25T07:00:00.000Z");
    expect(await pruneSnapshots(future.paths, "sample", "products", 0, "2026-11-26")).toEqual([]);
  });
});
