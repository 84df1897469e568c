import { readFileSync } from "node:fs";
import { configDefaults, defineConfig } from "vitest/config";
import { filesTagged, outOfUnitTier } from "./setup/unit-tier.ts";

const unitTier = process.env["DUCKMART_TEST_TIER"] === "unit";

export default defineConfig({
  // This file lives in tests/; the project root is one level up.
  root: new URL("..", import.meta.url).pathname,
  plugins: [
    {
      // @actions/workflow-parser ships sourcemaps whose sources are not in the package: Vite warned once per
      // file ("Sourcemap for ... points to missing source files", 67 lines). Load its files without the map.
      name: "workflow-parser-without-sourcemaps",
      enforce: "pre",
      load(id) {
        if (!/\/@actions\/workflow-parser\/dist\/.*\.js$/.test(id)) return null;
        return readFileSync(id, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");
      },
    },
  ],
  test: {
    include: ["tests/**/*.test.ts"],
    // The unit tier (DUCKMART_TEST_TIER=unit) never loads the files its tags filter would skip.
    exclude: [
      ...configDefaults.exclude,
      ...(unitTier ? filesTagged(new URL(".", import.meta.url).pathname, outOfUnitTier) : []),
    ],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: DuckDB, Postgres and Chromium tests contend less when files run two at a time.
    maxWorkers: 2,
    // Finds Postgres (or starts an embedded one) and Chromium; guards the user's data/ and observable/dist.
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/fresh-state.ts"],
    // The unit tier's files run in process, on tiny fixtures: each worker keeps its loaded modules from one file to
    // the next (DuckDB's binding, zod, the stages) instead of loading them again for every file.
    isolate: !unitTier,
    // Test tiers: files declare `// @module-tag <tag>`; `npm run test:unit` leaves these out.
    tags: [
      { name: "postgres", description: "Needs a Postgres server (or the embedded one)" },
      { name: "chromium", description: "Needs Chromium (Debian package) for browser tests" },
      { name: "e2e", description: "Runs whole pipelines through the real CLI" },
      { name: "slow", description: "Spawns the real CLI or other tools as child processes" },
    ],
    // @actions/workflow-parser imports its JSON schema without an import attribute: let Vite transform it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
