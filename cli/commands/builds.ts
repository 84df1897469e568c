import { defineCommand } from "citty";
import { formatTable } from "../core/table.ts";
import { listBuilds, readBuildPointer } from "../core/contracts/build-manifest.ts";
import { commandContext, commonArgs } from "../shared-args.ts";

export default defineCommand({
  meta: {
    name: "builds",
    description: "List the builds: id, created, status, sources, as-of; * marks the current one",
  },
  args: { ...commonArgs, json: { type: "boolean", description: "Print the build manifests as JSON" } },
  async run({ args }) {
    const { paths, logger } = await commandContext(args);
    const builds = await listBuilds(paths);
    const current = (await readBuildPointer(paths))?.buildId;
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify(
          builds.map((b) => ({ ...b, current: b.buildId === current })),
          null,
          2,
        )}\n`,
      );
      return;
    }
    if (!builds.length) {
      logger.info(`No builds in ${paths.buildsDir} yet: run "duckmart transform" (or "duckmart run").`);
      return;
    }
    // The listing is the command's output: plain on stdout (the log, on stderr, carries the icons).
    process.stdout.write(
      `${formatTable(
        builds.map((b) => ({
          current: b.buildId === current ? "*" : "",
          build: b.buildId,
          created: b.createdAt,
          status: b.status,
          shop: `${b.shopSource} (${b.shopSourceOrigin})`,
          payments: b.paymentsSource,
          asOf: b.asOf,
          detail: b.status === "failed" ? (b.error ?? b.failedChecks?.join(", ") ?? "") : "",
        })),
      )}\n`,
    );
  },
});
