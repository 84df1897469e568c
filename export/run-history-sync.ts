import { listRuns, type RunManifest } from "../cli/core/contracts/run-manifest.ts";
import { connect, createPool } from "./postgres/connection.ts";
import { upsertRunHistory } from "./postgres/run-history.ts";

/** Upsert the recent run manifests (and the current one) into <schema>.duckmart_runs. */
export async function recordRunHistory(
  databaseUrl: string,
  schema: string,
  runsDir: string,
  current?: RunManifest,
): Promise<void> {
  const runs = await listRuns(runsDir, 100);
  if (current) runs.unshift({ ...current, steps: [...current.steps] });
  const pool = createPool(databaseUrl, { max: 1 });
  pool.on("error", () => undefined);
  try {
    const client = await connect(pool, databaseUrl);
    try {
      await upsertRunHistory(client, schema, runs);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}
