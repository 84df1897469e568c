import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: DuckDB, Postgres and Chromium tests contend less when files run two at a time.
    maxWorkers: 2,
    // @actions/workflow-parser imports its JSON schema without an import attribute: let Vite transform it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
