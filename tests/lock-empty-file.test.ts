import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDataLock } from "../cli/core/lock.ts";
import { captureLogger } from "../cli/core/logger.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function emptyLock(ageSeconds: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-lock-"));
  dirs.push(dir);
  const path = join(dir, "duckmart.lock");
  await writeFile(path, "");
  const then = new Date(Date.now() - ageSeconds * 1000);
  await utimes(path, then, then);
  return path;
}

describe("data-dir lock: a lock file with no holder written yet", () => {
  it("is another command taking the lock this instant: refused, not taken over (two writers would get in)", async () => {
    const path = await emptyLock(1);
    const error = await acquireDataLock(path, "extract", captureLogger()).catch((e: Error) => e);
    expect((error as Error).message).toBe("Another duckmart command is taking the lock of this data dir right now");
  });

  it("that stayed empty is left over from a crash and taken over", async () => {
    const path = await emptyLock(60);
    const logger = captureLogger();
    const lock = await acquireDataLock(path, "extract", logger);
    expect(lock.fresh).toBe(true);
    expect(logger.text()).toContain("Taking over a stale lock");
    await lock.release();
  });
});
