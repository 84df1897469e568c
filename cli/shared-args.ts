import type { ArgsDef } from "citty";
import type { StageContext } from "./core/contracts/stage-context.ts";
import { loadConfig } from "./core/config.ts";
import { createLogger } from "./core/logger.ts";
import { lakePaths } from "./core/paths.ts";

/** Flags every command takes; each maps onto a config key (flags win over env, file and defaults). */
export const commonArgs = {
  "data-dir": { type: "string", description: "Local lake directory (env DUCKMART_DATA_DIR, default data)" },
  "as-of": { type: "string", description: "The day the run is for, YYYY-MM-DD (env DUCKMART_AS_OF, default today)" },
  "memory-limit": { type: "string", description: 'DuckDB memory limit, e.g. "2GB" (env DUCKMART_MEMORY_LIMIT)' },
  debug: { type: "boolean", description: "Show stack traces on errors" },
} as const satisfies ArgsDef;

export const sourceArgs = {
  source: {
    type: "string",
    description: "Source to extract: sample (offline default), dummyjson or stripe (env DUCKMART_SOURCE)",
  },
  seed: { type: "string", description: "Sample source: random seed (env DUCKMART_SEED, default 42)" },
  scale: { type: "string", description: "Sample source: size, 1 = about DummyJSON's size (env DUCKMART_SCALE)" },
  "page-size": { type: "string", description: "DummyJSON: records per page (default 100)" },
  concurrency: { type: "string", description: "DummyJSON: concurrent requests (default 4)" },
  "full-refresh": { type: "boolean", description: "Ignore incremental cursors and pull everything" },
} as const satisfies ArgsDef;

export const databaseArgs = {
  "database-url": { type: "string", description: "Postgres URL of the warehouse (env DATABASE_URL)" },
  schema: { type: "string", description: "Postgres schema for the marts (default marts)" },
} as const satisfies ArgsDef;

export const selectArg = {
  select: { type: "string", description: "Models to use: name, name+ (downstream), +name (upstream); comma-separated" },
} as const satisfies ArgsDef;

/** A command's context is the stages' context. */
export type CommandContext = StageContext;

type Flags = Record<string, unknown>;

/** Command-line flag -> config key. */
const flagKeys: Record<string, string> = {
  "data-dir": "dataDir",
  "as-of": "asOf",
  "memory-limit": "duckdb.memoryLimit",
  source: "source",
  seed: "seed",
  scale: "scale",
  "page-size": "dummyjson.pageSize",
  concurrency: "dummyjson.concurrency",
  "database-url": "databaseUrl",
  schema: "schema",
};

/** Turn parsed flags into a loaded config, the lake paths and a logger. */
export async function commandContext(args: Flags): Promise<CommandContext> {
  const source = typeof args["source"] === "string" && args["source"] !== "stripe" ? args["source"] : undefined;
  const flags: Record<string, unknown> = {};
  const flagNames: Record<string, string> = {};
  for (const [flag, key] of Object.entries(flagKeys)) {
    flags[key] = flag === "source" ? source : args[flag];
    flagNames[key] = flag;
  }
  const config = await loadConfig({ flags, flagNames });
  return { config, paths: lakePaths(config.dataDir), logger: createLogger({ debug: Boolean(args["debug"]) }) };
}

export function splitList(value: unknown): string[] | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
