import { open, readFile, rm, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { hostname } from "node:os";
import { DuckmartError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  runId: string;
}

export interface RunLock {
  release(): Promise<void>;
}

/**
 * One run per data dir: the lock file is created exclusively. A lock whose process is gone (a killed run)
 * is stale and taken over; a live one makes this run refuse at once.
 */
export async function acquireRunLock(path: string, runId: string, logger: Logger): Promise<RunLock> {
  await mkdir(dirname(path), { recursive: true });
  const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), runId };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readLock(path);
    if (holder && isAlive(holder)) {
      throw new DuckmartError(
        `Another duckmart run (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}, run ${holder.runId}) is using this data dir`,
        {
          hint: `Wait for it to finish. If that process is gone, delete ${path}.`,
        },
      );
    }
    logger.warn(
      `Taking over a stale lock from a run that is gone (pid ${holder?.pid ?? "?"}, started ${holder?.startedAt ?? "?"})`,
    );
    await rm(path, { force: true });
  }
  throw new DuckmartError(`Could not take the run lock ${path}: another run took it first`, {
    hint: "Try again when it has finished.",
  });
}

async function readLock(path: string): Promise<LockInfo | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as LockInfo;
  } catch {
    return undefined;
  }
}

function isAlive(lock: LockInfo): boolean {
  if (lock.host !== hostname()) return true; // cannot check another machine's processes: assume alive
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
