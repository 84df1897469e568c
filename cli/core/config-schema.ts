import { z } from "zod";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use a date like 2026-01-31");
const positiveInt = z.coerce.number().int().positive();

export const configSchema = z.object({
  dataDir: z.string().min(1).default("data"),
  source: z.enum(["sample", "dummyjson"]).default("sample"),
  /** The day the run is "for": order dates and recency are computed against it, never the wall clock. */
  asOf: isoDate.default(() => new Date().toISOString().slice(0, 10)),
  seed: z.coerce.number().int().default(42),
  scale: z.coerce.number().positive().max(100_000).default(1),
  dummyjson: z
    .object({
      url: z.url("use a full URL such as https://dummyjson.com").default("https://dummyjson.com"),
      pageSize: positiveInt.max(1000).default(100),
      concurrency: positiveInt.max(64).default(4),
      timeoutMs: positiveInt.default(30_000),
      maxAttempts: positiveInt.max(20).default(5),
      backoffMs: z.coerce.number().int().nonnegative().default(500),
    })
    .prefault({}),
  duckdb: z
    .object({
      memoryLimit: z
        .string()
        .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'use a size like "2GB"')
        .default("1GB"),
      threads: positiveInt.optional(),
    })
    .prefault({}),
  databaseUrl: z.string().optional(),
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, "use a lowercase Postgres identifier")
    .default("marts"),
  stripe: z
    .object({
      apiKey: z.string().min(1).optional(),
      apiBase: z.url("use a URL such as http://127.0.0.1:12111").optional(),
    })
    .prefault({}),
  alertWebhook: z.url().optional(),
  reportingCurrency: z.string().length(3).default("usd"),
});

export type DuckmartConfig = z.output<typeof configSchema>;
export type DuckmartConfigInput = z.input<typeof configSchema>;

/** For `duckmart.config.ts`: `export default defineConfig({ ... })`, typed. */
export function defineConfig(config: DuckmartConfigInput): DuckmartConfigInput {
  return config;
}

/** Environment variables and the config key each one sets. */
export const envKeys: Record<string, string> = {
  DUCKMART_DATA_DIR: "dataDir",
  DUCKMART_SOURCE: "source",
  DUCKMART_AS_OF: "asOf",
  DUCKMART_SEED: "seed",
  DUCKMART_SCALE: "scale",
  DUCKMART_DUMMYJSON_URL: "dummyjson.url",
  DUCKMART_PAGE_SIZE: "dummyjson.pageSize",
  DUCKMART_CONCURRENCY: "dummyjson.concurrency",
  DUCKMART_HTTP_TIMEOUT_MS: "dummyjson.timeoutMs",
  DUCKMART_HTTP_MAX_ATTEMPTS: "dummyjson.maxAttempts",
  DUCKMART_MEMORY_LIMIT: "duckdb.memoryLimit",
  DUCKMART_THREADS: "duckdb.threads",
  DATABASE_URL: "databaseUrl",
  DUCKMART_DATABASE_URL: "databaseUrl",
  DUCKMART_SCHEMA: "schema",
  STRIPE_API_KEY: "stripe.apiKey",
  DUCKMART_STRIPE_API_BASE: "stripe.apiBase",
  DUCKMART_ALERT_WEBHOOK: "alertWebhook",
  DUCKMART_REPORTING_CURRENCY: "reportingCurrency",
};

/** Keys whose values are secrets: never echoed in errors or logs. */
export const secretKeys = new Set(["databaseUrl", "stripe.apiKey", "alertWebhook"]);
