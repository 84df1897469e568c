import type { ArgsDef } from "citty";
import type { StageContext } from "./core/contracts/stage-context.ts";
import { parseSourceFlag } from "./source-list.ts";

export { splitList } from "./flag-values.ts";

/** Flags every command takes. Each command adds only the flags it honours: an unknown flag exits 2. */
export const commonArgs = {
  "data-dir": { type: "string", description: "Local lake directory (env DUCKMART_DATA_DIR, default data)" },
  debug: { type: "boolean", description: "Show stack traces on errors" },
} as const satisfies ArgsDef;

/** Only for the commands that land data (extract, run): the others use the day the landed data is for. */
export const asOfArg = {
  "as-of": { type: "string", description: "The day the run is for, YYYY-MM-DD (env DUCKMART_AS_OF, default today)" },
} as const satisfies ArgsDef;

/** For the commands that open DuckDB. */
export const memoryArg = {
  "memory-limit": { type: "string", description: 'DuckDB memory limit, e.g. "2GB" (env DUCKMART_MEMORY_LIMIT)' },
} as const satisfies ArgsDef;

export const sourceArgs = {
  source: {
    type: "string",
    description:
      "Sources to land, comma-separated: a shop source (sample, the offline default, dummyjson, or files: your order export; env DUCKMART_SOURCE) " +
      "and/or stripe for payments (needs STRIPE_API_KEY), e.g. sample,stripe. Default: the shop source, plus stripe with a key",
  },
  seed: { type: "string", description: "Sample source: random seed, a whole number (env DUCKMART_SEED, default 42)" },
  scale: {
    type: "string",
    description: "Sample source: size above 0, 1 = about DummyJSON's size (env DUCKMART_SCALE)",
  },
  "page-size": { type: "string", description: "DummyJSON: records per page, 1-1000 (default 100)" },
  concurrency: { type: "string", description: "DummyJSON: concurrent requests, 1-64 (default 4)" },
  "full-refresh": {
    type: "boolean",
    description: "Stripe: ignore the incremental cursors and pull everything (the shop sources always do)",
  },
} as const satisfies ArgsDef;

export const databaseArgs = {
  "database-url": { type: "string", description: "Postgres URL of the warehouse (env DATABASE_URL)" },
  schema: {
    type: "string",
    description: "Postgres schema for the marts, not pg_* (env DUCKMART_SCHEMA, default marts)",
  },
} as const satisfies ArgsDef;

export const selectArg = {
  select: { type: "string", description: "Models to use: name, name+ (downstream), +name (upstream); comma-separated" },
} as const satisfies ArgsDef;

/** For the commands that build (transform, run): a one-off override of the row-count guards. */
export const acceptRowDropArg = {
  "accept-row-drop": {
    type: "string",
    description:
      "Marts (comma-separated) that may come out empty or shrink past their row-count guard in this build only; recorded in build.json",
  },
} as const satisfies ArgsDef;

/** A command's context is the stages' context. */
export type CommandContext = StageContext;

type Flags = Record<string, unknown>;

/** For the commands that read a build (test, sync, site build): the current one unless named. */
export const buildArg = {
  build: { type: "string", description: 'Use this build instead of the current one (ids: "duckmart builds")' },
} as const satisfies ArgsDef;

/** Command-line flag -> config key. */
const flagKeys: Record<string, string> = {
  "data-dir": "dataDir",
  "as-of": "asOf",
  "memory-limit": "duckdb.memoryLimit",
  seed: "seed",
  scale: "scale",
  "page-size": "dummyjson.pageSize",
  concurrency: "dummyjson.concurrency",
  "database-url": "databaseUrl",
  schema: "schema",
  "lock-timeout": "warehouse.lockTimeout",
  "publish-pii": "warehouse.publishPii",
};

/** Turn parsed flags into a loaded, validated config (exit 2 naming the flag), the lake paths and a logger. */
export async function commandContext(args: Flags): Promise<CommandContext> {
  // Loaded here, not at the top: `--help` never pays for zod or consola.
  const [{ loadConfig }, { createLogger }, { lakePaths }] = await Promise.all([
    import("./core/config.ts"),
    import("./core/logger.ts"),
    import("./core/paths.ts"),
  ]);
  const flags: Record<string, unknown> = { source: parseSourceFlag(args["source"])?.shop };
  const flagNames: Record<string, string> = { source: "source" };
  for (const [flag, key] of Object.entries(flagKeys)) {
    flags[key] = args[flag];
    flagNames[key] = flag;
  }
  const config = await loadConfig({ flags, flagNames });
  return { config, paths: lakePaths(config.dataDir), logger: createLogger({ debug: Boolean(args["debug"]) }) };
}
