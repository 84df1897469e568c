// @module-tag postgres
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { noPostgres } from "./helpers/services.ts";
import { syncMarts } from "../export/index.ts";
import { binPath } from "./helpers/cli.ts";
import { pgSchema, pgUrl } from "./helpers/mart-fixtures.ts";
import { readerView, starBuildId, starLake as makeStar } from "./helpers/star-lake.ts";
import type { TestLake } from "./helpers/test-lake.ts";

let lakes: TestLake[] = [];
let reader: ReturnType<typeof startReader> | undefined;
let db: Awaited<ReturnType<typeof pgSchema>>;
const starLake = async (version: number, lines?: number) => {
  const lake = await makeStar(version, lines);
  lakes.push(lake);
  return lake;
};
const sync = (lake: TestLake, options: Partial<Parameters<typeof syncMarts>[1]> = {}) =>
  syncMarts(
    { config: lake.config, paths: lake.paths, logger: lake.logger },
    { databaseUrl: pgUrl, schema: db.schema, ...options },
  );
const cliSync = (lake: TestLake): ChildProcess =>
  spawn(process.execPath, [binPath, "sync", "--data-dir", lake.dir, "--schema", db.schema], {
    env: { ...process.env, DATABASE_URL: pgUrl },
    stdio: "ignore",
  });

/** Poll until `sql` (on the test's own connection) returns a row, or the child exits first. */
async function waitFor(sql: string, child: ChildProcess, params: unknown[] = []): Promise<boolean> {
  for (let i = 0; i < 3000 && child.exitCode === null; i++) {
    if ((await db.client.query(sql, params)).rows.length) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

/** A reader that keeps reading all marts in one transaction, and records every mix of builds it sees. */
function startReader(schema: string) {
  const client = new pg.Client({ connectionString: pgUrl });
  const seen: { versions: number[]; builds: string[] }[] = [];
  let running = true;
  const done = (async () => {
    await client.connect();
    while (running) seen.push(await readerView(client, schema));
    await client.end();
  })();
  return {
    seen,
    async stop() {
      running = false;
      await done;
      return seen;
    },
  };
}

beforeEach(async () => {
  db = await pgSchema("whc");
});
afterEach(async () => {
  await reader?.stop().catch(() => undefined);
  reader = undefined;
  await db.drop();
  await Promise.all(lakes.map((l) => l.cleanup()));
  lakes = [];
});

describe.skipIf(noPostgres)("concurrent and killed syncs", () => {
  it("runs two syncs of one schema one after the other: the warehouse ends with one whole build", async () => {
    const [a, b] = [await starLake(1, 20_000), await starLake(2, 20_000)];
    await Promise.all([sync(a), sync(b)]);
    const view = await readerView(db.client, db.schema);
    expect(view.versions).toHaveLength(1);
    expect(view.builds).toEqual([starBuildId(view.versions[0]!)]);
    const published = await db.client.query(`select build_id from "${db.schema}".duckmart_published`);
    expect(published.rows).toHaveLength(2);
  });

  it("refuses a second sync after the lock timeout, naming the holder and the build it publishes", async () => {
    await sync(await starLake(1, 1000));
    const big = await starLake(2, 1_500_000);
    const buildId = starBuildId(2);
    const child = cliSync(big);
    try {
      const locked = await waitFor(
        `select 1 from "${db.schema}".duckmart_sync_lock l join pg_stat_activity a using (pid) where l.build_id = $1`,
        child,
        [buildId],
      );
      expect(locked).toBe(true);
      const started = Date.now();
      const other = await starLake(3, 1000);
      const error = await sync(other, { lockTimeoutMs: 500 }).then(
        () => new Error("expected a refusal"),
        (e: Error) => e,
      );
      expect(error.message).toMatch(
        new RegExp(
          `^Another sync is publishing to schema ${db.schema}: pid \\d+ \\(duckmart, user \\w+, from [^)]+\\) is publishing build ${buildId} since .+; waited 1 s$`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      child.kill("SIGKILL");
      await new Promise((r) => child.on("exit", r));
    }
  });

  it("after a SIGKILL at any point, a reader in one transaction never sees two builds", async () => {
    const old = await starLake(1, 1000);
    await sync(old);
    const oldBuild = starBuildId(1);
    const next = await starLake(2, 1_200_000);
    reader = startReader(db.schema);
    const points: Record<string, string> = {
      "holding the sync lock": `select 1 from "${db.schema}".duckmart_sync_lock l join pg_stat_activity a using (pid)`,
      "copying the last table": `select 1 from pg_stat_activity where state = 'active' and query ilike 'copy %fact_buy_lines%'`,
      "building its keys": `select 1 from pg_stat_activity where state = 'active' and query ilike 'alter table %fact_buy_lines% add constraint%'`,
    };
    const reached: string[] = [];
    for (const [point, sql] of Object.entries(points)) {
      const child = cliSync(next);
      if (await waitFor(sql, child)) reached.push(point);
      child.kill("SIGKILL");
      await new Promise((r) => child.on("exit", r));
      expect(await readerView(db.client, db.schema), point).toEqual({ versions: [1], builds: [oldBuild] });
    }
    await sync(next);
    const seen = await reader.stop();
    expect(reached).toEqual(Object.keys(points));
    expect(await readerView(db.client, db.schema)).toEqual({
      versions: [2],
      builds: [starBuildId(2)],
    });
    expect(seen.length).toBeGreaterThan(3);
    for (const view of seen) {
      expect(view.versions).toHaveLength(1);
      expect(view.builds).toEqual([view.versions[0] === 1 ? oldBuild : starBuildId(2)]);
    }
  });
});
