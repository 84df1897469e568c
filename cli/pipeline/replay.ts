import { configOrigin } from "../core/config.ts";
import { DuckmartError } from "../core/errors.ts";
import { listSnapshots, snapshotForDay } from "../core/contracts/landing.ts";
import { chooseShopSource } from "../core/shop-source.ts";
import type { CommandContext } from "../shared-args.ts";

/**
 * `duckmart run --as-of D` for a day before the newest one landed is a replay: nothing is extracted (a live source
 * would record today's data as D), and the build reads the raw snapshots that were current on D, so it has the
 * same rows as the original build of D. Returns D, or undefined for an ordinary run. When D is older than every
 * retained snapshot, says so and names the retention setting. A files source replays only a snapshot of D itself;
 * otherwise it extracts its export as of D.
 */
export async function replayDay(context: CommandContext): Promise<string | undefined> {
  const { config, paths } = context;
  if (configOrigin(config, "asOf") === "default") return undefined;
  const shop = chooseShopSource(config, paths).source;
  const snapshots = await listSnapshots(paths, shop, "orders");
  const newest = snapshots.at(-1)?.asOf;
  if (!newest || config.asOf >= newest) return undefined;
  // An order export is history itself: extracted as of D, it leaves out the orders after D (a look-back), the same
  // as `duckmart extract --as-of D`. So a files source replays only a snapshot landed for D itself: an earlier one
  // (as of 11-22 for 11-28) would lack the orders of the days between, which the export has.
  if (shop === "files" && !snapshots.some((s) => s.asOf === config.asOf)) return undefined;
  if (!(await snapshotForDay(paths, shop, "orders", config.asOf))) {
    throw new DuckmartError(
      `Cannot replay ${config.asOf}: no raw ${shop} snapshot of that day or before is retained (the oldest is for ${snapshots[0]!.asOf}; retention.rawDays keeps ${config.retention.rawDays} as-of days)`,
      {
        hint: `Raw snapshots are kept for ${config.retention.rawDays} as-of days before the newest: raise retention.rawDays (DUCKMART_RAW_RETENTION_DAYS) to replay further back. "duckmart extract --as-of ${config.asOf}" then "duckmart transform" lands and builds that day anew (a live API records today's data as that day).`,
      },
    );
  }
  return config.asOf;
}
