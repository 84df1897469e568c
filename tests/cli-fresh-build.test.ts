import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- a plain JS module of the bin, without types
import { freshBuild } from "../cli/fresh-build.js";

const fresh = freshBuild as (entry: string, root?: string) => string | undefined;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "duckmart-fresh-build-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// tests/cli-startup.test.ts runs the bin itself (a child process per start).
describe("start-up", () => {
  it("uses the install-time build only while every source is unchanged", async () => {
    const project = join(dir, "project");
    const build = join(project, "cli", ".build", "v-test");
    await mkdir(join(build, "cli"), { recursive: true });
    await writeFile(join(project, "cli", "main.ts"), "export const a: number = 1;\n");
    await writeFile(join(build, "cli", "main.js"), "export const a = 1;\n");
    const { mtimeMs, size } = await stat(join(project, "cli", "main.ts"));
    await writeFile(join(build, "manifest.json"), JSON.stringify({ files: { "cli/main.ts": [mtimeMs, size] } }));
    expect(fresh("cli/main.ts", project)).toBeUndefined(); // no current pointer: not built
    await writeFile(join(project, "cli", ".build", "current"), "v-other");
    expect(fresh("cli/main.ts", project)).toBeUndefined(); // the pointer names a build that is not there
    await writeFile(join(project, "cli", ".build", "current"), "v-test");
    expect(fresh("cli/main.ts", project)).toBe(`file://${join(build, "cli", "main.js")}`);
    await writeFile(join(project, "cli", "main.ts"), "export const a: number = 22;\n");
    expect(fresh("cli/main.ts", project)).toBeUndefined(); // edited after the build
    await rm(join(project, "cli", "main.ts"));
    expect(fresh("cli/main.ts", project)).toBeUndefined(); // deleted
  });
});
