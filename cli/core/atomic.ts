import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { redactDeep } from "./redact.ts";

/** A sibling temp path: same directory, so the final rename is atomic. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Produce `target` atomically: `produce` writes to a temp path, which is renamed over the target only
 * when it succeeds. On failure the temp file is removed and the previous target stays untouched.
 */
export async function writeAtomically<T>(target: string, produce: (tempPath: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    const result = await produce(temp);
    await rename(temp, target);
    return result;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function writeFileAtomic(target: string, content: string | Uint8Array): Promise<void> {
  await writeAtomically(target, (temp) => writeFile(temp, content));
}

/** Every JSON file duckmart writes (manifests, test results, catalog, state) goes through the redaction. */
export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, `${JSON.stringify(redactDeep(value), null, 2)}\n`);
}

/** writeJsonAtomic for a signal handler, where nothing asynchronous runs before the process exits. */
export function writeJsonAtomicSync(target: string, value: unknown): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  writeFileSync(temp, `${JSON.stringify(redactDeep(value), null, 2)}\n`);
  renameSync(temp, target);
}
