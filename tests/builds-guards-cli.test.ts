// @module-tag slow
import { afterEach, describe, expect, it } from "vitest";
import { cli, currentBuild } from "./helpers/build-lake.ts";
import { guardShop } from "./helpers/raw-fixtures.ts";
import { testLake } from "./helpers/test-lake.ts";

// --accept-row-drop: a one-off, recorded override of the row-count guards, named in their hint.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The marts a hint tells to pass to --accept-row-drop. */
function acceptList(stderr: string, command: string): string {
  const match = new RegExp(`"duckmart ${command} --accept-row-drop ([a-z_,]+)"`).exec(stderr);
  expect(match, stderr).not.toBeNull();
  return match![1]!;
}

describe("--accept-row-drop", () => {
  it("transform: the hint names the flag and the marts; with it the build is current and records what it accepted", async () => {
    const lake = await testLake();
    cleanups.push(() => lake.cleanup());
    await guardShop(lake, 10);
    expect((await cli(lake, ["transform"])).code).toBe(0);
    const first = (await currentBuild(lake))!;

    await guardShop(lake, 4);
    const refused = await cli(lake, ["transform"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("dim_products shrank from 10 to 4 rows (-60%, limit 50%)");
    const marts = acceptList(refused.stderr, "transform");
    expect(marts.split(",")).toContain("dim_products");
    expect((await currentBuild(lake))!.buildId).toBe(first.buildId);

    const accepted = await cli(lake, ["transform", "--accept-row-drop", marts]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toContain(`accepted for this build by duckmart transform --accept-row-drop ${marts}`);
    const build = (await currentBuild(lake))!;
    expect(build.buildId).not.toBe(first.buildId);
    expect(build.rowDropAccepted?.by).toBe(`duckmart transform --accept-row-drop ${marts}`);
    expect(build.rowDropAccepted?.marts.map((m) => m.model).sort()).toEqual(marts.split(",").sort());
    expect(build.rowDropAccepted?.marts).toContainEqual({
      model: "dim_products",
      previousRows: 10,
      rows: 4,
      baselineBuildId: first.buildId,
    });
    expect(build.guards?.find((g) => g.model === "dim_products")?.status).toBe("warn");

    // One-off: the next build compares with the accepted one and needs no flag; a drop below it fails again.
    expect((await cli(lake, ["transform"])).code).toBe(0);
    expect((await currentBuild(lake))!.rowDropAccepted).toBeUndefined();
  });

  it("run: the failed step's hint names the flag; run --accept-row-drop records the run; a wrong name exits 2", async () => {
    const lake = await testLake();
    cleanups.push(() => lake.cleanup());
    await guardShop(lake, 8);
    expect((await cli(lake, ["transform"])).code).toBe(0);
    await guardShop(lake, 2);
    const refused = await cli(lake, ["run", "--only", "transform,test"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("dim_products.row_count_guard (8 -> 2 rows)");
    const marts = acceptList(refused.stderr, "run");

    const accepted = await cli(lake, ["run", "--only", "transform,test", "--accept-row-drop", marts]);
    expect(accepted.code, accepted.stderr).toBe(0);
    const build = (await currentBuild(lake))!;
    expect(build.rowDropAccepted?.by).toBe(`duckmart run --accept-row-drop ${marts}`);
    expect(build.rowDropAccepted?.runId).toBe(build.runId);

    const typo = await cli(lake, ["transform", "--accept-row-drop", "dim_prodcts"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--accept-row-drop: no mart named "dim_prodcts"');
    expect(typo.stderr).toContain("dim_products");
    const bare = await cli(lake, ["run", "--accept-row-drop", ","]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("--accept-row-drop needs the marts it accepts");
  });
});
