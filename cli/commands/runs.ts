import { defineCommand } from "citty";
import { DuckmartError } from "../core/errors.ts";
import { formatTable } from "../core/table.ts";
import { listRuns, readRun } from "../core/contracts/run-manifest.ts";
import { formatRunSummary } from "../pipeline/run-summary.ts";
import { commandContext, commonArgs } from "../shared-args.ts";

export default defineCommand({
  meta: { name: "runs", description: "List recent runs, or show one run's manifest" },
  args: {
    ...commonArgs,
    id: { type: "positional", required: false, description: "Run id to show" },
    json: { type: "boolean", description: "Print JSON" },
  },
  async run({ args }) {
    const { paths, logger } = await commandContext(args);
    if (args.id) {
      const run = await readRun(paths.runsDir, args.id);
      if (!run)
        throw new DuckmartError(`No run "${args.id}" in ${paths.runsDir}`, { hint: "List runs with `duckmart runs`." });
      if (args.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      else logger.info(formatRunSummary(run));
      return;
    }
    const runs = await listRuns(paths.runsDir);
    if (args.json) process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    else
      logger.info(
        formatTable(
          runs.map((r) => ({
            run: r.runId,
            status: r.status,
            asOf: r.asOf,
            build: r.buildId ? `${r.buildId}${r.buildPromoted ? "" : " (not current)"}` : "",
            started: r.startedAt,
            seconds: Math.round((r.durationMs ?? 0) / 1000),
            failed: r.steps
              .filter((s) => s.status === "failed")
              .map((s) => s.name)
              .join(","),
          })),
        ),
      );
  },
});
