import type { StageContext } from "./contracts/stage-context.ts";
import { cleanupLake } from "./lake-cleanup.ts";
import { acquireDataLock } from "./lock.ts";

/**
 * Run `work` holding the data-dir lock (refused at once when another command holds it). A fresh holder first
 * cleans up what a killed command left behind. Nested calls in one process (`duckmart run`) share the lock.
 */
export async function withDataLock<T>(
  context: StageContext,
  command: string,
  work: () => Promise<T>,
  options: { runId?: string } = {},
): Promise<T> {
  const lock = await acquireDataLock(context.paths.lock, command, context.logger, options);
  try {
    if (lock.fresh) await cleanupLake(context.paths, context.logger);
    return await work();
  } finally {
    await lock.release();
  }
}
