import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readSnapshotPointer, snapshotManifestFile } from "../../cli/core/contracts/landing.ts";
import { order, product, user, writeOrders, writeRaw } from "./raw-fixtures.ts";
import type { TestLake } from "./test-lake.ts";

/** A small clean shop landed by hand: two customers (with email addresses), one product, orders at `orderedAt`. */
export async function writeSmallShop(lake: TestLake, orderedAt = "2026-11-24T10:00:00"): Promise<void> {
  await writeRaw(lake, "products", [product(1, 10, "alpha")]);
  await writeRaw(lake, "users", [
    user(1, "Austin", "Texas", "TX", { email: "ada.lovelace@customers.example" }),
    user(2, "Austin", "Texas", "TX", { email: "grace.hopper@customers.example" }),
  ]);
  await writeRaw(lake, "carts", []);
  await writeOrders(lake, [
    order(7, 1, orderedAt, "completed", [[1, 10, 1, 0]]),
    order(8, 2, orderedAt, "completed", [[1, 10, 2, 0]]),
  ]);
}

/** Age a landing by hand: its current snapshot's manifest (and pointer) say it was extracted `hours` before now. */
export async function ageLanding(lake: TestLake, entity: string, hours: number, now = Date.now()): Promise<void> {
  const { source } = lake.config;
  const pointer = readSnapshotPointer(lake.paths, source, entity);
  if (!pointer) throw new Error(`${source}/${entity} has not landed`);
  const extractedAt = new Date(now - hours * 3_600_000).toISOString();
  const path = join(lake.paths.rawSnapshotDir(source, entity, pointer.snapshot), snapshotManifestFile);
  const manifest = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  await writeFile(path, JSON.stringify({ ...manifest, extractedAt }));
  await writeFile(lake.paths.rawPointer(source, entity), JSON.stringify({ ...pointer, extractedAt }));
}
