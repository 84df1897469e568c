// @module-tag slow
import { spawn, spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- a plain JS module of the bin, without types
import { freshBuild } from "../cli/fresh-build.js";
import { outputOf } from "./helpers/cli.ts";

const fresh = freshBuild as (entry: string, root?: string) => string | undefined;
const root = fileURLToPath(new URL("..", import.meta.url));
const logger = fileURLToPath(new URL("./fixtures/log-imports.mjs", import.meta.url));

// A copy of the project (its tracked sources, node_modules linked): sources are edited there, never in this checkout,
// whose build the other test files' CLIs run from.
let project: string;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "duckmart-rebuild-"));
  project = join(dir, "project");
  const listed = spawnSync(
    "git",
    ["ls-files", "--cached", "--others", "--exclude-standard", "cli", "extract", "transforms", "export", "observable"],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  for (const file of [...listed.stdout.split("\n").filter(Boolean), "package.json", "tsconfig.json"])
    await cp(join(root, file), join(project, file));
  await symlink(realpathSync(join(root, "node_modules")), join(project, "node_modules"));
  const build = spawnSync(process.execPath, [join(project, "cli", "build.js")], { encoding: "utf8" });
  expect(build.status, build.stderr).toBe(0);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const buildsDir = () => join(project, "cli", ".build");
const current = async () => (await readFile(join(buildsDir(), "current"), "utf8")).trim();
const folders = async () => (await readdir(buildsDir())).filter((n) => n.startsWith("v-")).sort();

/** Run the project's bin; `imports` logs the module URLs it loaded. */
function bin(args: string[], options: { imports?: string; preload?: string } = {}) {
  const preload = [options.imports && logger, options.preload].filter((p): p is string => !!p);
  const child = spawn(
    process.execPath,
    [...preload.flatMap((p) => ["--import", p]), join(project, "cli", "duckmart.js"), ...args],
    {
      cwd: dir,
      env: {
        PATH: process.env["PATH"] ?? "",
        NO_COLOR: "1",
        ...(options.imports && { LOG_IMPORTS: options.imports }),
      },
    },
  );
  return outputOf(child);
}

/** A source changed after the build (a `git pull`): a new mtime, one second later each time. */
let tick = Date.now() / 1000 + 10;
const touch = (file = "cli/core/errors.ts") => utimes(join(project, file), ++tick, tick);

describe("the bin after the sources changed", () => {
  it("recompiles once and runs the new build, never the old output or tsx", async () => {
    const before = await current();
    const main = join(project, "cli", "main.ts");
    const source = await readFile(main, "utf8");
    expect(source).toContain("E-commerce data from API");
    await writeFile(main, source.replace("E-commerce data from API", "Edited after the build: data from API"));
    const log = join(dir, "imports.log");
    const result = await bin(["--help"], { imports: log });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Edited after the build: data from API");
    const after = await current();
    expect(after).not.toBe(before);
    const loaded = (await readFile(log, "utf8")).split("\n");
    expect(loaded).toContain(`file://${join(buildsDir(), after, "cli", "main.js")}`);
    expect(
      [
        ...new Set(loaded.filter((url) => url.startsWith(`file://${project}/cli/`) && !url.includes("/cli/.build/"))),
      ].sort(),
    ).toEqual([
      `file://${project}/cli/build-cli.js`,
      `file://${project}/cli/duckmart.js`,
      `file://${project}/cli/fresh-build.js`,
    ]);
    expect(fresh("cli/main.ts", project)).toBe(`file://${join(buildsDir(), after, "cli", "main.js")}`);
    // The next start finds the build current: no compile.
    await rm(log);
    expect((await bin(["--help"], { imports: log })).code).toBe(0);
    expect(await current()).toBe(after);
    expect((await readFile(log, "utf8")).split("\n").some((url) => url.endsWith("/cli/build-cli.js"))).toBe(false);
  });

  it("marks itself in its build's in-use/ while it runs and unmarks at exit", async () => {
    const inUse = join(buildsDir(), await current(), "in-use");
    const log = join(dir, "in-use.log");
    // Registered before the bin's own exit handler, so it runs first and sees the mark.
    const preload = join(dir, "see-in-use.mjs");
    await writeFile(
      preload,
      `import { appendFileSync, readdirSync } from "node:fs";
       process.on("exit", () => appendFileSync(${JSON.stringify(log)}, process.pid + ":" + readdirSync(${JSON.stringify(inUse)}).join(",")));`,
    );
    expect((await bin(["runs", "--data-dir", join(dir, "lake")], { preload })).code).toBe(0);
    const [pid, marks] = (await readFile(log, "utf8")).split(":");
    expect(marks).toBe(pid);
    expect(await readdir(inUse)).toEqual([]);
  });

  it("keeps a build folder while a live process is marked in it; removes unused ones but the current and previous", async () => {
    const user = spawn("sleep", ["60"]);
    try {
      const used = await current();
      await writeFile(join(buildsDir(), used, "in-use", String(user.pid)), "");
      const made = [used];
      for (let i = 0; i < 3; i++) {
        await touch();
        expect((await bin(["--help"])).code).toBe(0);
        made.push(await current());
      }
      expect(new Set(made).size).toBe(4);
      // The folder in use stays; of the others only the current and the one before it.
      expect(await folders()).toEqual([used, made[2], made[3]].sort());
      user.kill();
      await new Promise((r) => user.on("exit", r));
      await touch();
      expect((await bin(["--help"])).code).toBe(0);
      expect(await folders()).toEqual([made[3], await current()].sort());
    } finally {
      user.kill();
    }
  });

  it("is safe when several start at once: all run, one build results, nothing half-made is left", async () => {
    await touch();
    const results = await Promise.all(Array.from({ length: 4 }, () => bin(["--help"])));
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(results[0]!.stdout);
    }
    expect(results[0]!.stdout).toContain("USAGE");
    expect(fresh("cli/main.ts", project)).toBe(`file://${join(buildsDir(), await current(), "cli", "main.js")}`);
    const left = (await readdir(buildsDir())).filter((n) => n.startsWith("."));
    expect(left).toEqual([]);
    expect(existsSync(join(buildsDir(), "cli"))).toBe(false);
  });
});
