// @module-tag slow
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { lakePaths } from "../cli/core/paths.ts";
import { siteDirFor } from "../observable/build-site.ts";
import { cli } from "./helpers/build-lake.ts";
import { testLake, type TestLake } from "./helpers/test-lake.ts";

const checkout = fileURLToPath(new URL("..", import.meta.url));
const lakes: TestLake[] = [];
const temps: string[] = [];
afterAll(async () => {
  for (const lake of lakes) await lake.cleanup();
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

/** The build id a run made, from its manifest in runs/ (read independently of the summary). */
async function runOf(lake: TestLake): Promise<{ buildId: string; site: { dir: string; pages: number } }> {
  const [file] = (await readdir(lake.paths.runsDir)).filter((f) => f.endsWith(".json"));
  return JSON.parse(await readFile(join(lake.paths.runsDir, file!), "utf8"));
}

describe("where a data dir's site goes", () => {
  it("observable/dist for the checkout's own data/ (also through a symlink), <data-dir>/site for any other, DUCKMART_SITE_DIR over both", async () => {
    const lake = await testLake();
    lakes.push(lake);
    const config = { ...lake.config, siteDir: undefined };
    expect(siteDirFor({ config, paths: lakePaths(join(checkout, "data")) })).toBe(join(checkout, "observable", "dist"));
    const elsewhere = await mkdtemp(join(tmpdir(), "duckmart-link-"));
    temps.push(elsewhere);
    await symlink(join(checkout, "data"), join(elsewhere, "data"));
    expect(siteDirFor({ config, paths: lakePaths(join(elsewhere, "data")) })).toBe(
      join(checkout, "observable", "dist"),
    );
    expect(siteDirFor({ config, paths: lake.paths })).toBe(join(lake.dir, "site"));
    expect(siteDirFor({ config: { ...config, siteDir: "somewhere/else" }, paths: lake.paths })).toBe(
      resolve("somewhere/else"),
    );
  });

  it("gives two lakes run one after the other a site each, and the run says where it is and how to preview it", async () => {
    const [a, b] = [await testLake(), await testLake()];
    lakes.push(a, b);
    // No DUCKMART_SITE_DIR: each run picks its site folder itself.
    const runA = await cli(a, ["run", "--seed", "1", "--skip", "freshness"]);
    expect(runA.code, runA.stderr).toBe(0);
    const runB = await cli(b, ["run", "--seed", "2", "--skip", "freshness"]);
    expect(runB.code, runB.stderr).toBe(0);
    const [builtA, builtB] = [await runOf(a), await runOf(b)];
    expect(builtA.buildId).not.toBe(builtB.buildId);
    for (const [lake, run, output] of [
      [a, builtA, runA.stderr],
      [b, builtB, runB.stderr],
    ] as const) {
      const siteDir = join(lake.dir, "site");
      expect(run.site.dir).toBe(siteDir);
      // Each site's footer names its own lake's build: the second run did not overwrite the first one's site.
      const index = await readFile(join(siteDir, "index.html"), "utf8");
      expect(index).toContain(run.buildId);
      expect(index).not.toContain((run === builtA ? builtB : builtA).buildId);
      expect(output).toContain(`site: ok in`);
      expect(output).toContain(`${run.site.pages} pages in ${siteDir}`);
      expect(output).toContain(
        `Site: ${siteDir} (${run.site.pages} pages): serve that folder with any static web server (opened from disk it shows no data), or preview it with "duckmart site dev --data-dir ${lake.dir}"`,
      );
    }

    // A site build killed before its swap left its folders in the lake: the next command that takes the lock removes them.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const leftovers = [`.site-${gone}`, `site.old-${gone}`, `.drill-down-${gone}`];
    for (const name of leftovers) await mkdir(join(a.dir, name, "products"), { recursive: true });
    const rebuilt = await cli(a, ["site", "build"]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain(`Built the site in ${join(a.dir, "site")}`);
    for (const name of leftovers) expect(existsSync(join(a.dir, name)), name).toBe(false);
    expect(await readFile(join(a.dir, "site", "index.html"), "utf8")).toContain(builtA.buildId);
  });
});
