import { errorMessage } from "../core/errors.ts";
import { DuckmartError } from "../core/errors.ts";
import { readHistoryManifest } from "../core/contracts/history.ts";
import { chooseShopSource } from "../core/shop-source.ts";
import type { CommandContext } from "../shared-args.ts";

/**
 * With a warehouse, before a run builds: history missing locally, or older than the build the warehouse holds,
 * is restored from the warehouse, and the run says so. If the warehouse cannot be read and some history is
 * missing locally, the run stops: building would start that history afresh, and the next sync would replace the
 * warehouse's copy with it.
 */
export async function restoreHistoryFromWarehouse(context: CommandContext): Promise<void> {
  const { config, paths, logger } = context;
  if (!config.databaseUrl) return;
  const { loadProject } = await import("../../transforms/engine/project.ts");
  const snapshots = [...(await loadProject()).snapshots.keys()];
  // The shop source the build will read: only its own history is compared and restored.
  const shopSource = chooseShopSource(config, paths).source;
  const { restoreHistory } = await import("../../export/history-restore.ts");
  try {
    for (const r of await restoreHistory(context, snapshots, shopSource)) {
      if (r.status !== "restored") continue;
      logger.warn(
        `History of ${r.snapshot} restored from the warehouse (${r.table}, ${r.rowCount?.toLocaleString("en-US")} rows, as of ${r.warehouseAsOf}): the local copy was ${r.localAsOf ? `older (as of ${r.localAsOf})` : "missing"}`,
      );
    }
  } catch (error) {
    const missing = [];
    for (const s of snapshots) if (!(await readHistoryManifest(paths, shopSource, s))) missing.push(s);
    if (missing.length)
      throw new DuckmartError(
        `The local history of ${missing.join(", ")} is missing and the warehouse could not be read to restore it: ${errorMessage(error)}`,
        {
          hint: "Fix the connection (DATABASE_URL) and run again; building now would start history afresh and the next sync would overwrite the warehouse's copy.",
          transient: true,
        },
      );
    logger.warn(`Could not compare the local history with the warehouse's: ${errorMessage(error)}`);
  }
}
