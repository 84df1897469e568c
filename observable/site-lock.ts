import { link, readFile, rm, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { DuckmartError } from "../cli/core/errors.ts";
import type { Logger } from "../cli/core/logger.ts";

/**
 * One site build at a time per checkout: Framework's loader cache (observable/src/.observablehq/cache) is
 * shared by every data dir, and a build for another data dir drops it. A lock left by a dead process is taken over.
 */
export async function withSiteLock<T>(lockPath: string, logger: Logger, build: () => Promise<T>): Promise<T> {
  const waitMs = 15 * 60_000;
  const started = Date.now();
  const mine = `${lockPath}.${process.pid}`;
  await writeFile(mine, String(process.pid));
  let waiting = false;
  try {
    for (;;) {
      try {
        await link(mine, lockPath); // atomic: fails with EEXIST while another build holds it
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = Number(await readFile(lockPath, "utf8").catch(() => "0"));
      if (!isAlive(holder)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() - started > waitMs)
        throw new DuckmartError(`Another site build (pid ${holder}) has held ${lockPath} for 15 minutes`, {
          hint: `Wait for it, or stop it (kill ${holder}).`,
        });
      if (!waiting) logger.info(`Waiting for another site build (pid ${holder}) to finish`);
      waiting = true;
      await sleep(250);
    }
  } finally {
    await rm(mine, { force: true });
  }
  try {
    return await build();
  } finally {
    await rm(lockPath, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
