import type pg from "pg";
import { quoteIdent } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";

/** First half of the advisory lock key ("duck"); the second is hashtext(schema). */
const LOCK_CLASS = 0x6475636b;
const POLL_MS = 250;

interface Holder {
  pid: number;
  application_name: string;
  usename: string;
  client: string | null;
  backend_start: string;
  build_id: string | null;
  started_at: string | null;
}

/**
 * One sync at a time per target schema: a session advisory lock on the schema's name, held by this connection
 * until `release` (or until the connection drops, e.g. the process is killed). A second sync polls for up to
 * `timeoutMs`, then refuses, naming the holder (process, client and the build it is publishing).
 */
export async function acquireSyncLock(
  client: pg.PoolClient,
  schema: string,
  buildId: string,
  timeoutMs: number,
): Promise<{ release(): Promise<void> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock($1, hashtext($2)) as ok`, [
      LOCK_CLASS,
      schema,
    ]);
    if (rows[0]!.ok) break;
    if (Date.now() >= deadline) throw await busy(client, schema, timeoutMs);
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
  const table = `${quoteIdent(schema)}.duckmart_sync_lock`;
  // Only now, under the lock: two first syncs racing to create the schema would otherwise collide.
  await client.query(`create schema if not exists ${quoteIdent(schema)}`);
  await client.query(`create table if not exists ${table} (
    schema_name text primary key,
    pid integer not null,
    build_id text,
    started_at timestamptz not null default now()
  )`);
  await client.query(
    `insert into ${table} (schema_name, pid, build_id) values ($1, pg_backend_pid(), $2)
     on conflict (schema_name) do update set pid = excluded.pid, build_id = excluded.build_id, started_at = now()`,
    [schema, buildId],
  );
  return {
    async release() {
      await client.query(`select pg_advisory_unlock($1, hashtext($2))`, [LOCK_CLASS, schema]);
    },
  };
}

async function busy(client: pg.PoolClient, schema: string, timeoutMs: number): Promise<DuckmartError> {
  const { rows } = await client
    .query<Holder>(
      `select a.pid, a.application_name, a.usename, coalesce(a.client_hostname, host(a.client_addr), 'local socket') as client,
       a.backend_start::text, h.build_id, h.started_at::text
     from pg_locks l
     join pg_stat_activity a on a.pid = l.pid
     left join lateral (
       select build_id, started_at from ${quoteIdent(schema)}.duckmart_sync_lock h
       where h.schema_name = $2 and h.pid = l.pid
     ) h on true
     where l.locktype = 'advisory' and l.granted and l.classid = $1::bigint::oid and l.objsubid = 2
       and l.objid = (hashtext($2)::bigint & 4294967295)::oid`,
      [LOCK_CLASS, schema],
    )
    .catch(() => ({ rows: [] as Holder[] }));
  const holder = rows[0];
  const who = holder
    ? `pid ${holder.pid} (${holder.application_name || "no application_name"}, user ${holder.usename}, from ${holder.client})${holder.build_id ? ` is publishing build ${holder.build_id}` : ""} since ${holder.started_at ?? holder.backend_start}`
    : "another session holds it";
  return new DuckmartError(
    `Another sync is publishing to schema ${schema}: ${who}; waited ${Math.round(timeoutMs / 1000)} s`,
    {
      hint: "Only one sync per schema runs at a time, so the warehouse never mixes two builds. Rerun when it has finished, or wait longer with --lock-timeout SECONDS.",
      transient: true,
    },
  );
}
