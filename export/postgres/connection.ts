import pg from "pg";
import { z } from "zod";
import { DuckmartError } from "../../cli/core/errors.ts";
import { hostNotFound } from "../../cli/core/host-not-found.ts";
import { redactText, redactUrl } from "../../cli/core/redact.ts";

const urlSchema = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must start with postgres:// or postgresql://")
  .refine((v) => URL.canParse(v), "is not a valid URL");

/**
 * A pool with its own type parsers (never the global ones): numeric, int8, date and timestamps come back
 * as exact strings. Timeouts are bounded so a bad host fails fast.
 */
export function createPool(url: string, options: { max?: number } = {}): pg.Pool {
  const parsed = urlSchema.safeParse(url);
  if (!parsed.success) {
    throw new DuckmartError(`DATABASE_URL ${parsed.error.issues[0]?.message}: ${redactUrl(url)}`, {
      hint: "Use a URL like postgres://user:password@host:5432/database?sslmode=require",
      exitCode: 2,
    });
  }
  const text = (value: string) => value;
  const parsers: Record<number, (value: string) => unknown> = {
    20: text,
    1700: text,
    1082: text,
    1114: text,
    1184: text,
  };
  return new pg.Pool({
    connectionString: url,
    max: options.max ?? 4,
    connectionTimeoutMillis: 10_000,
    query_timeout: 0,
    application_name: "duckmart",
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
}

/** Connect, or fail with a clear error that names the problem and never shows the password. */
export async function connect(pool: pg.Pool, url: string): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (cause) {
    throw describeConnectionError(cause, url);
  }
}

export function describeConnectionError(cause: unknown, url: string): DuckmartError {
  const safe = redactUrl(url);
  const unresolved = hostNotFound(cause, {
    what: "the warehouse",
    safeUrl: safe,
    key: "databaseUrl",
    flag: "--database-url",
  });
  if (unresolved) return unresolved;
  const parsed = new URL(url);
  const code = (cause as { code?: string }).code;
  const message = (cause as Error).message ?? String(cause);
  const where = `${parsed.hostname}:${parsed.port || 5432}`;
  const known: Record<string, [string, string]> = {
    ECONNREFUSED: [
      `Cannot reach Postgres at ${where} (connection refused)`,
      "Is Postgres running, and is the host and port right?",
    ],
    ETIMEDOUT: [`Timed out connecting to Postgres at ${where}`, "Check the host, port and firewall."],
    "28P01": [
      `Postgres rejected the password for user "${decodeURIComponent(parsed.username)}"`,
      "Check the user and password in DATABASE_URL.",
    ],
    "28000": [
      `Postgres refused user "${decodeURIComponent(parsed.username)}" (no pg_hba entry or role)`,
      "Check the user, and the server's pg_hba.conf.",
    ],
    "3D000": [
      `Database "${parsed.pathname.slice(1)}" does not exist on ${where}`,
      "Create it, or fix the database name in DATABASE_URL.",
    ],
    "42501": [
      `Permission denied for user "${decodeURIComponent(parsed.username)}"`,
      "Grant CREATE on the database/schema, or use another user.",
    ],
  };
  const timedOut = /timeout/i.test(message) ? known["ETIMEDOUT"] : undefined;
  const [text, hint] = (code ? known[code] : undefined) ??
    timedOut ?? [`Could not connect to Postgres: ${redactText(message)}`, "Check DATABASE_URL."];
  return new DuckmartError(`${text} [${safe}]`, {
    hint,
    cause: code ? { code, message: redactText(message) } : undefined,
    transient: code === "ECONNREFUSED" || code === "ETIMEDOUT",
  });
}
