import { z } from "zod";
import { shopSources } from "./source-names.ts";
import { filesConfigSchema } from "./files-config-schema.ts";
import { utcToday } from "./today.ts";

/** A real calendar day, YYYY-MM-DD: 2026-02-30 and 2026-13-45 are refused. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "use a date like 2026-01-31 (YYYY-MM-DD)")
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    "no such day; use a real date like 2026-01-31",
  );
/** Numbers from env or flags arrive as text: accept only plain decimal numbers (no "", "0x10", "1e3", "Infinity"). */
const numeric = (schema: z.ZodNumber) =>
  z
    .union([z.number(), z.string()], { error: "use a number" })
    .pipe(z.preprocess((v) => (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v), schema));
const number = () => z.number({ error: "use a number" });
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  numeric(
    number()
      .int("use a whole number")
      .min(min, `use a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : " up"}`)
      .max(max, `use a whole number from ${min} to ${max}`),
  );
const positiveInt = int(1);
const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, error: `use a full http(s) URL such as ${example}` });
/** Postgres keeps these for itself: a mart there would be lost or refused. */
const reservedSchema = (v: string) => v === "information_schema" || v.startsWith("pg_");

const pgSchemaName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/, "use a lowercase Postgres identifier such as marts")
  .max(63, "use at most 63 characters (Postgres' identifier limit)")
  .refine((v) => !reservedSchema(v), "reserved by Postgres (information_schema, pg_*); use another, such as marts");

// Strict: a misspelt key in duckmart.config.ts is an error, never silently ignored.
export const configSchema = z.strictObject({
  dataDir: z.string().min(1).default("data"),
  /** The shop source: where products, users and orders come from. Payments come from Stripe when it has a key. */
  source: z.enum(shopSources, { error: `use one of: ${shopSources.join(", ")}` }).default("sample"),
  /** The day the run is "for": order dates and recency are computed against it, never the wall clock. */
  asOf: isoDate.default(utcToday),
  seed: int(0, 2 ** 31 - 1).default(42),
  scale: numeric(number().positive("use a size above 0, e.g. 0.5 or 10").max(100_000, "use at most 100000")).default(1),
  dummyjson: z
    .strictObject({
      url: httpUrl("https://dummyjson.com").default("https://dummyjson.com"),
      pageSize: int(1, 1000).default(100),
      concurrency: int(1, 64).default(4),
      timeoutMs: positiveInt.default(30_000),
      maxAttempts: int(1, 20).default(5),
      backoffMs: int(0).default(500),
    })
    .prefault({}),
  duckdb: z
    .strictObject({
      memoryLimit: z
        .string()
        .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'use a size like "2GB" or "512MB"')
        .default("1GB"),
      threads: positiveInt.optional(),
    })
    .prefault({}),
  /** The files source: a shop's own order export (see files-config-schema.ts). */
  files: filesConfigSchema,
  databaseUrl: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), "use a URL like postgres://user@host:5432/db")
    .optional(),
  schema: pgSchemaName.default("marts"),
  /** How `duckmart sync` publishes to the warehouse (see "Warehouse" in the README). */
  warehouse: z
    .strictObject({
      /** Seconds a sync waits for another sync of the same schema (or a reader's long transaction) before refusing. */
      lockTimeout: int(0, 3600).default(60),
      /** Salt of the published PII hashes. A secret: unset, one is generated once in data/state/pii-salt.json. */
      piiSalt: z.string().min(16, "use at least 16 characters").optional(),
      /** Publish the PII columns in clear too (`--publish-pii`), in `pii.schema`, readable only by `pii.role`. */
      publishPii: z.boolean().default(false),
      /** Setting this opts in as well. */
      pii: z
        .strictObject({
          schema: pgSchemaName.optional(),
          role: z
            .string()
            .regex(/^[a-z_][a-z0-9_]*$/, "use a lowercase Postgres role name such as pii_reader")
            .max(63, "use at most 63 characters"),
        })
        .optional(),
    })
    .prefault({}),
  stripe: z
    .strictObject({
      apiKey: z.string().min(1).optional(),
      apiBase: httpUrl("http://127.0.0.1:12111").optional(),
    })
    .prefault({}),
  alertWebhook: httpUrl("https://hooks.slack.com/services/...").optional(),
  /** Where `duckmart site build` writes the static site (default observable/dist). */
  siteDir: z.string().min(1).optional(),
  retention: z
    .object({
      /** Raw snapshots are kept for this many as-of days before the newest one not after today (the current one and the current build's always stay). */
      rawDays: int(0, 36_500).default(30),
      /** Builds kept besides the current one (failed builds keep only their build.json). */
      builds: int(0, 1000).default(5),
    })
    .prefault({}),
  /** The shop's name in alert subjects; defaults to one named after the source. */
  shopName: z.string().min(1).max(80).optional(),
  /** SMTP server for email alerts, e.g. smtps://user:password@smtp.example.com:465 (a secret: never printed). */
  smtpUrl: z
    .url({ protocol: /^smtps?$/, error: "use a URL such as smtps://user:password@smtp.example.com:465" })
    .optional(),
  alertEmailTo: z
    .string()
    .regex(/^[^\s@,]+@[^\s@,]+(\s*,\s*[^\s@,]+@[^\s@,]+)*$/, "use one or more addresses, comma-separated")
    .optional(),
  alertEmailFrom: z.string().min(3).default("duckmart <duckmart@localhost>"),
  /** Also send a digest of warnings (at most one a day for the same warnings), or an all-clear, after each run. */
  alertDigest: z
    .union([z.boolean(), z.enum(["1", "0", "true", "false", "yes", "no", "on", "off"])])
    .transform((v) => v === true || ["1", "true", "yes", "on"].includes(String(v)))
    .default(false),
  reportingCurrency: z
    .string()
    .regex(/^[a-zA-Z]{3}$/, "use a 3-letter ISO currency code such as usd")
    .transform((v) => v.toLowerCase())
    .default("usd"),
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
  DUCKMART_FILES_PATH: "files.orderLines.path",
  DUCKMART_FILES_PRESET: "files.orderLines.preset",
  DUCKMART_MEMORY_LIMIT: "duckdb.memoryLimit",
  DUCKMART_THREADS: "duckdb.threads",
  DATABASE_URL: "databaseUrl",
  DUCKMART_DATABASE_URL: "databaseUrl",
  DUCKMART_SCHEMA: "schema",
  DUCKMART_LOCK_TIMEOUT: "warehouse.lockTimeout",
  DUCKMART_PII_SALT: "warehouse.piiSalt",
  DUCKMART_PII_SCHEMA: "warehouse.pii.schema",
  DUCKMART_PII_ROLE: "warehouse.pii.role",
  STRIPE_API_KEY: "stripe.apiKey",
  DUCKMART_STRIPE_API_BASE: "stripe.apiBase",
  DUCKMART_ALERT_WEBHOOK: "alertWebhook",
  DUCKMART_SHOP_NAME: "shopName",
  DUCKMART_SMTP_URL: "smtpUrl",
  DUCKMART_ALERT_EMAIL_TO: "alertEmailTo",
  DUCKMART_ALERT_EMAIL_FROM: "alertEmailFrom",
  DUCKMART_ALERT_DIGEST: "alertDigest",
  DUCKMART_REPORTING_CURRENCY: "reportingCurrency",
  DUCKMART_SITE_DIR: "siteDir",
  DUCKMART_RAW_RETENTION_DAYS: "retention.rawDays",
  DUCKMART_BUILD_RETENTION: "retention.builds",
};

/** Keys whose values are secrets: never echoed in errors or logs. */
export const secretKeys = new Set(["databaseUrl", "stripe.apiKey", "alertWebhook", "warehouse.piiSalt", "smtpUrl"]);
