import { createHash } from "node:crypto";
import type pg from "pg";
import { duckdbOptionsFor, quoteIdent, quoteLiteral, withDuckdb } from "../cli/core/duckdb.ts";
import { DuckmartError } from "../cli/core/errors.ts";
import type { StageContext } from "../cli/core/contracts/stage-context.ts";
import { martNodes, readCatalog, type CatalogNode } from "../cli/core/contracts/catalog.ts";
import { buildToPublish, type SyncBuild } from "./build-source.ts";
import { piiSalt, SALT_VARIABLE } from "./pii-columns.ts";
import { planMart } from "./publish-plan.ts";
import { connect, createPool, describeConnectionError } from "./postgres/connection.ts";
import { grantPii } from "./postgres/pii-grants.ts";
import { ensurePublishedTables, liveSources } from "./postgres/published-build.ts";
import { assertNotEmptied, publishTransaction, type PublishedTable } from "./postgres/publish-transaction.ts";
import { ensureStateTable, readState } from "./postgres/sync-state.ts";
import { acquireSyncLock } from "./postgres/sync-lock.ts";
import { verifyTable, type ColumnCheck } from "./postgres/verify.ts";

export type { SyncBuild } from "./build-source.ts";

export interface SyncOptions {
  databaseUrl: string;
  schema: string;
  select?: string[];
  /** Upsert the tables whose yml declares `sync: {mode: incremental}` on their key, instead of a full refresh. */
  incremental?: boolean;
  allowRecreate?: boolean;
  verify?: boolean;
  runId?: string;
  /** How long to wait for another sync of this schema, or for readers' transactions (default: config, 60 s). */
  lockTimeoutMs?: number;
  /** Publish a mart that came out empty although the warehouse has rows. */
  allowEmpty?: boolean;
  /** The build to publish (default: the current build). */
  build?: SyncBuild;
}

export type TableSyncResult = PublishedTable;

export interface SyncSummary {
  schema: string;
  buildId: string;
  /** Where the clear PII went (opt-in), if anywhere. */
  piiSchema?: string;
  tables: TableSyncResult[];
  checks: ColumnCheck[];
  durationMs: number;
}

/**
 * Publish one build's marts to Postgres through binary COPY: all tables in one transaction, one sync per schema
 * at a time, keys from the catalog, PII masked (see "Warehouse" in the README).
 */
export async function syncMarts(context: StageContext, options: SyncOptions): Promise<SyncSummary> {
  const started = Date.now();
  const { paths, logger, config } = context;
  logger.debug(`sync phase process start to sync: ${performance.now().toFixed(0)} ms`);
  const build = options.build ?? (await buildToPublish(paths));
  const catalog = await readCatalog(build.catalog, { dataDir: paths.root });
  const all = martNodes(catalog);
  const marts = all.filter((n) => !options.select?.length || options.select.includes(n.name));
  for (const name of options.select ?? []) {
    if (!marts.some((m) => m.name === name))
      throw new DuckmartError(`--select: no mart named "${name}"`, {
        hint: `Marts: ${all.map((m) => m.name).join(", ")}`,
        exitCode: 2,
      });
  }
  const pii = piiTarget(context, options.schema);
  const salt = await piiSalt(config.warehouse.piiSalt, paths);
  const lockTimeoutMs = options.lockTimeoutMs ?? config.warehouse.lockTimeout * 1000;
  const pool = createPool(options.databaseUrl);
  pool.on("error", () => undefined);
  try {
    const client = await connect(pool, options.databaseUrl);
    try {
      const lock = await acquireSyncLock(client, options.schema, build.buildId, lockTimeoutMs);
      try {
        for (const schema of [options.schema, ...(pii ? [pii.schema] : [])]) await ensureStateTable(client, schema);
        await ensurePublishedTables(client, options.schema);
        const published = await publishable(client, options.schema, all, marts);
        return await withDuckdb(duckdbOptionsFor(config), async (duck) => {
          await duck.run(`set variable ${SALT_VARIABLE} = ${quoteLiteral(salt)}`);
          logger.debug(`sync phase connect, lock, duckdb: ${(Date.now() - started).toFixed(0)} ms`);
          const planned = Date.now();
          const plan = [];
          for (const node of marts) {
            const tables = await planMart(duck, node, build.mart(node.name), {
              schema: options.schema,
              piiSchema: pii?.schema,
              incremental: Boolean(options.incremental),
              published,
              saltFingerprint: createHash("sha256").update(`duckmart pii ${salt}`).digest("hex"),
            });
            const live = await readState(client, options.schema, node.name);
            const switchedFrom = sourceSwitch(build, await liveSources(client, options.schema, node.name));
            if (switchedFrom && tables[0]!.rowCount === 0 && Number(live?.row_count ?? 0) > 0)
              logger.warn(
                `${options.schema}.${node.name}: empty in this build (${build.shopSource} shop, payments ${build.paymentsSource}); its ${Number(live?.row_count).toLocaleString("en-US")} rows from the ${switchedFrom} build are replaced, not kept beside it`,
              );
            assertNotEmptied(
              `${options.schema}.${node.name}`,
              tables[0]!.rowCount,
              Number(live?.row_count ?? 0),
              Boolean(options.allowEmpty),
              switchedFrom,
            );
            plan.push(...tables);
          }
          logger.debug(`sync phase plan (checksums): ${Date.now() - planned} ms`);
          const tables = await publishTransaction(client, duck, plan, {
            schema: options.schema,
            build,
            runId: options.runId,
            allowRecreate: Boolean(options.allowRecreate),
            lockTimeoutMs,
            logger,
          });
          if (pii) await grantPii(client, pii.schema, pii.role);
          for (const t of tables)
            logger.info(
              `synced ${t.schema}.${t.table}: ${t.mode === "unchanged" ? "unchanged" : `${t.rowCount.toLocaleString("en-US")} rows (${t.mode})`} in ${t.durationMs} ms`,
            );
          const checks: ColumnCheck[] = [];
          if (options.verify)
            for (const t of plan)
              checks.push(
                ...(await verifyTable(duck, client, {
                  table: t.shape.table,
                  sql: t.sql,
                  qualified: `${quoteIdent(t.shape.schema)}.${quoteIdent(t.shape.table)}`,
                  columns: t.columns,
                })),
              );
          return {
            schema: options.schema,
            buildId: build.buildId,
            piiSchema: pii?.schema,
            tables,
            checks,
            durationMs: Date.now() - started,
          };
        });
      } finally {
        await lock.release().catch(() => undefined);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    if (error instanceof DuckmartError) throw error;
    const code = (error as { code?: string }).code;
    if (code && /^(08|28|3D|42501|EC|EN|ET)/.test(code)) throw describeConnectionError(error, options.databaseUrl);
    throw error;
  } finally {
    await pool.end();
  }
}

/** The opt-in for clear PII: `--publish-pii` or `warehouse.pii` in the config; it needs a role to grant to. */
function piiTarget({ config }: StageContext, schema: string): { schema: string; role: string } | undefined {
  const { pii, publishPii } = config.warehouse;
  if (!pii && !publishPii) return undefined;
  if (!pii?.role)
    throw new DuckmartError("--publish-pii needs the role that may read the PII", {
      hint: 'Set warehouse.pii.role in duckmart.config.ts (e.g. { pii: { role: "pii_reader" } }) or DUCKMART_PII_ROLE.',
      exitCode: 2,
    });
  const target = pii.schema ?? `${schema}_pii`;
  if (target === schema)
    throw new DuckmartError(`warehouse.pii.schema must differ from the marts schema (${schema})`, { exitCode: 2 });
  return { schema: target, role: pii.role };
}

/** Marts a foreign key may reference: those published now, and those already in the schema from earlier syncs. */
async function publishable(
  client: pg.PoolClient,
  schema: string,
  all: CatalogNode[],
  marts: CatalogNode[],
): Promise<Map<string, CatalogNode>> {
  const { rows } = await client.query<{ table_name: string }>(
    `select table_name from ${quoteIdent(schema)}.duckmart_sync_state`,
  );
  const names = new Set([...marts.map((m) => m.name), ...rows.map((r) => r.table_name)]);
  return new Map(all.filter((n) => names.has(n.name)).map((n) => [n.name, n]));
}

/** "sample shop, payments sample" when a table holds a build of other sources than `build`, else undefined. */
function sourceSwitch(
  build: { shopSource: string; paymentsSource: string },
  live: { shopSource: string | null; paymentsSource: string | null } | undefined,
): string | undefined {
  if (!live?.shopSource) return undefined;
  if (live.shopSource === build.shopSource && live.paymentsSource === build.paymentsSource) return undefined;
  return `${live.shopSource} shop, payments ${live.paymentsSource ?? "none"}`;
}
