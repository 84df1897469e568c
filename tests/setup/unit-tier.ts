import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The tags `npm run test:unit` leaves out (declared in tests/vitest.config.ts). */
export const outOfUnitTier = ["postgres", "chromium", "e2e", "slow"];

/**
 * The test files that declare one of `tags` with `// @module-tag <tag>` (the same comment Vitest reads). Vitest's
 * `--tags-filter` skips their tests only after importing each file (Playwright, pg, the CLI's whole graph: over half
 * the unit tier's time); excluding them up front means they are never loaded.
 */
export function filesTagged(testsDir: string, tags: readonly string[]): string[] {
  return readdirSync(testsDir)
    .filter((name) => name.endsWith(".test.ts"))
    .filter((name) => {
      const declared = [
        ...readFileSync(join(testsDir, name), "utf8").matchAll(/(?:\/\/|\*)\s*@module-tag\s+([\w\-/]+)/g),
      ];
      return declared.some((m) => tags.includes(m[1]!));
    })
    .map((name) => `tests/${name}`);
}
