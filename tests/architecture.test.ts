// @module-tag slow
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const depcruise = join(root, "node_modules", ".bin", "depcruise");
const config = join(root, "tests", "dependency-cruiser.cjs");
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function cruise(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(
      depcruise,
      ["--config", config, "cli", "extract", "transforms", "export", "observable"],
      { cwd },
    );
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

/** A tiny tree with the project's tsconfig and the given files. */
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-arch-"));
  dirs.push(dir);
  await cp(join(root, "tsconfig.json"), join(dir, "tsconfig.json"));
  for (const top of ["cli", "extract", "transforms", "export", "observable"]) await mkdir(join(dir, top));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe("one-way architecture", () => {
  it("the repository has no violations", async () => {
    const { code, out } = await cruise(root);
    expect(out).toContain("no dependency violations");
    expect(code).toBe(0);
  });

  it.each([
    [
      "a stage importing another stage",
      "export/a.ts",
      'import "../transforms/b.ts";\n',
      "transforms/b.ts",
      "export-imports-no-other-stage",
    ],
    [
      "a stage importing the pipeline",
      "extract/a.ts",
      'import "../cli/pipeline/b.ts";\n',
      "cli/pipeline/b.ts",
      "stages-import-only-core",
    ],
    [
      "core importing a stage",
      "cli/core/a.ts",
      'import "../../extract/b.ts";\n',
      "extract/b.ts",
      "core-is-the-ground-floor",
    ],
    [
      "generic landing importing a source",
      "extract/landing/a.ts",
      'import "../sources/b.ts";\n',
      "extract/sources/b.ts",
      "generic-landing-knows-no-source",
    ],
  ])("refuses %s", async (_what, from, text, to, rule) => {
    const dir = await tree({ [from]: text, [to]: "export const b = 1;\n" });
    const { code, out } = await cruise(dir);
    expect(code).not.toBe(0);
    expect(out).toContain(rule);
  });
});
