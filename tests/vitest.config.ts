import { defineConfig } from "vitest/config";

export default defineConfig({
  // This file lives in tests/; the project root is one level up.
  root: new URL("..", import.meta.url).pathname,
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
