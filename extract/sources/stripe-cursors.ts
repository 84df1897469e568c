import { readFile } from "node:fs/promises";
import { writeJsonAtomic } from "../../cli/core/atomic.ts";
import type { LakePaths } from "../../cli/core/paths.ts";

type Cursors = Record<string, number>;

/** The newest `created` (unix seconds) landed per Stripe entity: data/state/stripe.json. */
export async function readCursors(paths: LakePaths): Promise<Cursors> {
  try {
    return JSON.parse(await readFile(paths.state("stripe"), "utf8")) as Cursors;
  } catch {
    return {};
  }
}

/** Saved atomically, and only after the entity's data has landed. */
export async function saveCursor(paths: LakePaths, entity: string, created: number): Promise<void> {
  const cursors = await readCursors(paths);
  cursors[entity] = Math.max(created, cursors[entity] ?? 0);
  await writeJsonAtomic(paths.state("stripe"), cursors);
}
