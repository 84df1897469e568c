// @module-tag slow
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listLandedEntities, readSnapshotPointer } from "../cli/core/contracts/landing.ts";
import { runCli } from "./helpers/cli.ts";
import { ageLanding } from "./helpers/freshness-fixtures.ts";
import { lakesPerTest } from "./helpers/test-lake.ts";

const newLake = lakesPerTest();

describe("duckmart runs", () => {
  it("lists the last N runs with status, duration, rows landed, build id and alerts; --json for scripts", async () => {
    const lake = await newLake();
    const ok = await runCli(["run", "--data-dir", lake.dir, "--as-of", "2026-11-24", "--skip", "site"]);
    expect(ok.code).toBe(0);
    // Rows landed, independently: the row counts in the current snapshots' manifest files.
    let landed = 0;
    for (const { source, entity } of await listLandedEntities(lake.paths)) {
      const pointer = readSnapshotPointer(lake.paths, source, entity)!;
      const file = join(lake.paths.rawSnapshotDir(source, entity, pointer.snapshot), "manifest.json");
      landed += (JSON.parse(await readFile(file, "utf8")) as { rowCount: number }).rowCount;
    }
    await ageLanding(lake, "orders", 51);
    const stale = await runCli(["run", "--data-dir", lake.dir, "--skip", "extract,site"], {
      DUCKMART_ALERT_WEBHOOK: "http://127.0.0.1:1/hook",
    });
    expect(stale.code).toBe(1);
    // A run recorded by the builds pipeline carries a build id.
    const [newest] = (await readdir(lake.paths.runsDir)).sort().reverse();
    const built = JSON.parse(await readFile(join(lake.paths.runsDir, newest!), "utf8"));
    await writeFile(
      join(lake.paths.runsDir, "29991231T000000Z-1.json"),
      JSON.stringify({
        ...built,
        runId: "29991231T000000Z-1",
        status: "success",
        steps: [],
        buildId: "b-20261124-abc",
        freshness: undefined,
        alerts: undefined,
      }),
    );

    const json = await runCli(["runs", "--data-dir", lake.dir, "--json"]);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ runId: "29991231T000000Z-1", buildId: "b-20261124-abc" });
    expect(rows[1]).toMatchObject({
      status: "failed",
      failedStep: "freshness",
      freshness: "error",
      rowsLanded: null,
      alerts: { kind: "failure", sent: 0, failed: 1 },
    });
    expect(rows[2]).toMatchObject({ status: "success", failedStep: null, freshness: "fresh", rowsLanded: landed });
    expect(rows[2].alerts).toEqual({ kind: "none", sent: 0, failed: 0 });
    expect(rows[2].durationMs).toBeGreaterThan(0);

    const table = await runCli(["runs", "--data-dir", lake.dir, "--limit", "2"]);
    expect(table.code).toBe(0);
    const lines = table.stdout.split("\n").filter((l) => /^\d{8}T/.test(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^29991231T000000Z-1\s+SUCCESS\s+.*b-20261124-abc$/);
    expect(lines[1]).toMatch(/FAILED\s+\S+ \S+\s+[\d.]+ m?s\s+freshness\s+error\s+failure: 0 sent, 1 failed$/);
    expect((await runCli(["runs", "--data-dir", lake.dir, "--limit", "0"])).code).toBe(2);
  });

  it("on a new data dir, names the runs folder of that data dir (relative to the working directory when under it)", async () => {
    const lake = await newLake();
    const outside = await runCli(["runs", "--data-dir", join(lake.dir, "new")]);
    expect(outside.code).toBe(0);
    expect(outside.stdout).toContain(`No runs yet in ${join(lake.dir, "new", "runs")}:`);
    const inside = await runCli(["runs", "--data-dir", "new"], {}, lake.dir);
    expect(inside.code).toBe(0);
    expect(inside.stdout).toContain(`No runs yet in ${join("new", "runs")}:`);
    expect(inside.stdout).not.toContain("data/runs");
  });
});
