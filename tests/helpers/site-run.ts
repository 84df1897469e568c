import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./browser.ts";
import { runCli, type CliResult } from "./cli.ts";
import { pgSchema, pgUrl } from "./mart-fixtures.ts";
import { serveFolder } from "./static-server.ts";
import { readParquet, testLake, type TestLake } from "./test-lake.ts";

/** What a site test file reads: set in its beforeAll, so read it from the tests. */
export interface SiteRun {
  lake: TestLake;
  db: Awaited<ReturnType<typeof pgSchema>>;
  /** `duckmart run` (extract to site) at scale 3 as of 2026-11-24, syncing to `db.schema`. */
  run: CliResult;
  /** The built site, served on 127.0.0.1. */
  site: Awaited<ReturnType<typeof serveFolder>>;
  browser: Browser;
  siteDir(): string;
  /** One of the lake's marts; `$file` in the SQL is the file. */
  mart(name: string, sql: string): ReturnType<typeof readParquet>;
}

/**
 * The whole pipeline the site tests look at: a fresh lake and a Postgres schema named from `schemaPrefix`,
 * `duckmart run` into both, the site served and Chromium open (vitest's beforeAll); closed and removed after.
 */
export function siteRun(schemaPrefix: string): SiteRun {
  const state = {} as SiteRun;
  state.siteDir = () => state.lake.config.siteDir!;
  state.mart = (name, sql) => readParquet(state.lake.paths.mart(name), sql);
  beforeAll(async () => {
    state.lake = await testLake();
    state.db = await pgSchema(schemaPrefix);
    state.run = await runCli(
      ["run", "--data-dir", state.lake.dir, "--as-of", "2026-11-24", "--schema", state.db.schema, "--scale", "3"],
      { DATABASE_URL: pgUrl, DUCKMART_SITE_DIR: state.siteDir() },
    );
    state.site = await serveFolder(state.siteDir());
    state.browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await state.browser?.close();
    await state.site?.close();
    await state.db?.drop();
    await state.lake?.cleanup();
  });
  return state;
}
