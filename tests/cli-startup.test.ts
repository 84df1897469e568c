// @module-tag slow
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binPath } from "./helpers/cli.ts";
// @ts-expect-error -- a plain JS module of the bin, without types
import { freshBuild } from "../cli/fresh-build.js";

const fresh = freshBuild as (entry: string, root?: string) => string | undefined;
const root = fileURLToPath(new URL("..", import.meta.url));
const logger = fileURLToPath(new URL("./fixtures/log-imports.mjs", import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "duckmart-startup-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Run the bin and return the module URLs it loaded. */
async function loaded(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const log = join(dir, `imports-${Math.random().toString(36).slice(2)}.log`);
  const result = spawnSync(process.execPath, ["--import", logger, binPath, ...args], {
    cwd: dir,
    env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", LOG_IMPORTS: log, ...env },
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  return (await readFile(log, "utf8")).split("\n").filter(Boolean);
}

// The bin as a child process; tests/cli-fresh-build.test.ts checks which build it picks, in process.
describe("start-up", () => {
  it("runs the compiled CLI when fresh, the sources through tsx otherwise", async () => {
    if (!fresh("cli/main.ts")) {
      // Other test files run the bin meanwhile; rebuild only when needed.
      const build = spawnSync(process.execPath, [join(root, "cli", "build.js")], { encoding: "utf8" });
      expect(build.status, build.stderr).toBe(0);
    }
    const current = (await readFile(join(root, "cli", ".build", "current"), "utf8")).trim();
    expect(await loaded(["--help"])).toContain(`file://${join(root, "cli", ".build", current, "cli", "main.js")}`);
    const tsx = await loaded(["--help"], { DUCKMART_NO_BUILD: "1" });
    expect(tsx).toContain(`file://${join(root, "cli", "main.ts")}`);
    expect(tsx.some((url) => url.includes("/cli/.build/"))).toBe(false);
  });

  it("compiles every TypeScript module the CLI may load (a module left out breaks the built CLI only)", async () => {
    const build = spawnSync(process.execPath, [join(root, "cli", "build.js")], { encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const listed = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], {
      cwd: root,
      encoding: "utf8",
    });
    const sources = listed.stdout
      .split("\n")
      .filter((f) => /^(cli|extract|transforms|export|observable)\//.test(f) && !f.startsWith("observable/src/"));
    expect(sources).toContain("observable/site-data/build-site-data.ts");
    const current = (await readFile(join(root, "cli", ".build", "current"), "utf8")).trim();
    const missing = sources.filter((f) => !existsSync(join(root, "cli", ".build", current, f.replace(/\.ts$/, ".js"))));
    expect(missing).toEqual([]);
  });

  it("loads no heavy module for --help, and no database or API client for `runs`", async () => {
    const heavy = /\/node_modules\/(zod|consola|@duckdb|pg|stripe|apache-arrow|yaml)\//;
    for (const args of [["--help"], ["extract", "--help"], ["run", "--help"]])
      expect((await loaded(args)).filter((url) => heavy.test(url))).toEqual([]);
    const runs = await loaded(["runs"]);
    expect(runs.filter((url) => /\/node_modules\/(@duckdb|pg|stripe|apache-arrow)\//.test(url))).toEqual([]);
  });
});
