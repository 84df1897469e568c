import { readFileSync, rmSync } from "node:fs";
import { open, readFile, rm, mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { hostname } from "node:os";
import { DuckmartError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import { onInterrupt } from "./interrupt.ts";

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** The command that holds it, e.g. "run", "extract", "site build". */
  command: string;
  runId?: string;
}

export interface DataLock {
  /** True when this call took the lock (not a nested acquisition inside the same process). */
  fresh: boolean;
  /** The holder a stale lock was taken over from (a killed command). */
  tookOverFrom?: LockHolder;
  release(): Promise<void>;
}

/** Locks held by this process, by path, with their nesting depth (`duckmart run` calls the other stages). */
const held = new Map<string, number>();

/**
 * One writer per data dir: the lock file is created exclusively and names its holder. A second writer is refused
 * at once, naming the holder; a lock whose process is gone (a killed command) is stale and taken over. Re-entrant
 * within one process, so `duckmart run` holds it once for all its steps.
 */
export async function acquireDataLock(
  path: string,
  command: string,
  logger: Logger,
  options: { runId?: string } = {},
): Promise<DataLock> {
  const depth = held.get(path);
  if (depth) {
    held.set(path, depth + 1);
    return { fresh: false, release: async () => void held.set(path, (held.get(path) ?? 1) - 1) };
  }
  await mkdir(dirname(path), { recursive: true });
  const info: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command,
    ...(options.runId ? { runId: options.runId } : {}),
  };
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      held.set(path, 1);
      // Ctrl-C or SIGTERM: the lock goes with the process instead of waiting for the next command to take it over.
      const forget = onInterrupt(() => releaseOnExit(path));
      return {
        fresh: true,
        ...(tookOverFrom ? { tookOverFrom } : {}),
        release: async () => {
          const left = (held.get(path) ?? 1) - 1;
          if (left > 0) return void held.set(path, left);
          held.delete(path);
          forget();
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readLockHolder(path);
    // A lock file with no holder yet is being written by a command that has just created it (for a moment):
    // taking it over then would let two writers in. Only one that stayed empty is left over from a crash.
    if (!holder && (await ageMs(path)) < emptyLockGraceMs)
      throw new DuckmartError("Another duckmart command is taking the lock of this data dir right now", {
        hint: "Try again in a moment; if it is running, wait for it to finish.",
        expected: true,
      });
    if (holder && isAlive(holder)) {
      throw new DuckmartError(`Another duckmart command is writing this data dir: ${describeHolder(holder)}`, {
        hint: holderHint(holder, path),
        expected: true,
      });
    }
    logger.warn(
      `Taking over a stale lock from a command that is gone (pid ${holder?.pid ?? "?"}, ${holder?.command ?? "?"}, started ${holder?.startedAt ?? "?"})`,
    );
    tookOverFrom = holder;
    await rm(path, { force: true });
  }
  throw new DuckmartError(`Could not take the lock ${path}: another command took it first`, {
    hint: "Try again when it has finished.",
    expected: true,
  });
}

/** How long a lock file may stay without its holder before it counts as left over from a crash. */
const emptyLockGraceMs = 10_000;

async function ageMs(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Remove the lock as the process exits, if it is still this process's. */
function releaseOnExit(path: string): void {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
    if (holder.pid === process.pid && holder.host === hostname()) rmSync(path, { force: true });
  } catch {
    // Gone already, or unreadable: nothing of ours to remove.
  }
}

/**
 * What to do about a live holder. On this host its pid was checked (a lock whose process has exited is taken over
 * without asking); another host's process cannot be checked from here, so only there is deleting the lock the way out.
 */
function holderHint(holder: LockHolder, path: string): string {
  if (holder.host === hostname())
    return `It is still running (pid ${holder.pid} on this host, ${holder.host}): wait for it to finish, or stop it (kill ${holder.pid}). A lock left by a command that has exited is taken over automatically.`;
  return `It runs on another host (${holder.host}), whose processes cannot be checked from here: wait for it to finish. If that command is gone, delete ${path}.`;
}

export function describeHolder(holder: LockHolder): string {
  const run = holder.runId ? `, run ${holder.runId}` : "";
  return `duckmart ${holder.command ?? "run"} (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}${run})`;
}

export async function readLockHolder(path: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
}

/** Whether a process is still running (on this host; another host's is assumed alive). */
export function isAlive(holder: { pid: number; host?: string }): boolean {
  if (holder.host && holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
