import type pg from "pg";
import { DuckmartError } from "../../cli/core/errors.ts";

/** Shorter than Postgres' deadlock_timeout (1 s): the sync backs off before a reader is ever chosen as a deadlock victim. */
const ATTEMPT_MS = 200;

/**
 * Lock the existing tables that are about to change, all at once, in ACCESS EXCLUSIVE mode. A reader that is
 * inside a transaction which has read one of them keeps its snapshot of the old build: the lock waits for it.
 * Each attempt is short and rolled back to a savepoint, so a reader that goes on to read another of these tables
 * is never deadlocked; after `timeoutMs` the error names the sessions in the way.
 */
export async function lockTables(
  client: pg.PoolClient,
  tables: { schema: string; table: string }[],
  timeoutMs: number,
): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name
     from unnest($1::text[], $2::text[]) as t(s, r)
     join pg_namespace n on n.nspname = t.s join pg_class c on c.relnamespace = n.oid and c.relname = t.r`,
    [tables.map((t) => t.schema), tables.map((t) => t.table)],
  );
  if (!rows.length) return;
  const names = rows.map((r) => r.name).join(", ");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await client.query("savepoint duckmart_lock");
    const wait = Math.max(1, Math.min(ATTEMPT_MS, deadline - Date.now()));
    try {
      await client.query(`set local lock_timeout = ${wait}`);
      await client.query(`lock table ${names} in access exclusive mode`);
      await client.query("release savepoint duckmart_lock");
      await client.query("set local lock_timeout = 0");
      return;
    } catch (error) {
      await client.query("rollback to savepoint duckmart_lock");
      if ((error as { code?: string }).code !== "55P03") throw error;
      if (Date.now() >= deadline) throw await blocked(client, tables, timeoutMs, error);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function blocked(
  client: pg.PoolClient,
  tables: { schema: string; table: string }[],
  timeoutMs: number,
  cause: unknown,
): Promise<DuckmartError> {
  const { rows } = await client.query<{ who: string }>(
    `select distinct format('pid %s (%s, user %s, %s since %s)', a.pid, coalesce(nullif(a.application_name, ''), 'no application_name'),
       a.usename, a.state, date_trunc('second', coalesce(a.xact_start, a.backend_start))) as who
     from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where l.granted and l.pid <> pg_backend_pid() and l.relation = any(
       select c.oid from unnest($1::text[], $2::text[]) as t(s, r)
       join pg_namespace n on n.nspname = t.s join pg_class c on c.relnamespace = n.oid and c.relname = t.r)`,
    [tables.map((t) => t.schema), tables.map((t) => t.table)],
  );
  return new DuckmartError(
    `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for readers of ${tables.map((t) => `${t.schema}.${t.table}`).join(", ")} to finish: ${rows.map((r) => r.who).join("; ") || "sessions that have since ended"}`,
    {
      cause,
      transient: true,
      hint: "A long transaction keeps reading the old build. Nothing was changed; rerun when it has finished, or wait longer with --lock-timeout SECONDS.",
    },
  );
}
