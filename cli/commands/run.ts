import { defineCommand } from "citty";
import { DuckmartError } from "../core/errors.ts";
import { formatRunSummary } from "../pipeline/run-summary.ts";
import { runPipeline } from "../pipeline/run-pipeline.ts";
import type { StepName } from "../core/contracts/run-manifest.ts";
import { commandContext, commonArgs, databaseArgs, selectArg, sourceArgs, splitList } from "../shared-args.ts";

const stepNames: StepName[] = ["extract", "transform", "test", "sync", "site"];

export default defineCommand({
  meta: {
    name: "run",
    description: "Run the whole pipeline: extract, transform, test, sync (with a database) and site build",
  },
  args: {
    ...commonArgs,
    ...sourceArgs,
    ...databaseArgs,
    ...selectArg,
    only: { type: "string", description: `Run only these steps (comma-separated: ${stepNames.join(", ")})` },
    skip: { type: "string", description: "Skip these steps (comma-separated)" },
    retries: { type: "string", description: "Retries for a step that fails with a transient error (default 1)" },
    "max-age": { type: "string", description: "Alert when the newest data is older than this many hours" },
    json: { type: "boolean", description: "Print the run manifest as JSON on stdout instead of the summary table" },
  },
  async run({ args }) {
    const steps = (value: unknown) => {
      const list = splitList(value) as StepName[] | undefined;
      const bad = list?.find((s) => !stepNames.includes(s));
      if (bad)
        throw new DuckmartError(`Unknown step "${bad}"`, { hint: `Steps: ${stepNames.join(", ")}`, exitCode: 2 });
      return list;
    };
    const context = await commandContext(args);
    const manifest = await runPipeline(context, {
      only: steps(args.only),
      skip: steps(args.skip),
      select: splitList(args.select),
      fullRefresh: args["full-refresh"],
      retries: args.retries === undefined ? undefined : Number(args.retries),
      maxAgeHours: args["max-age"] === undefined ? undefined : Number(args["max-age"]),
    });
    if (args.json) process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
    else context.logger.info(formatRunSummary(manifest));
    const failed = manifest.steps.find((s) => s.status === "failed");
    if (failed) {
      throw new DuckmartError(`Run ${manifest.runId} failed at step ${failed.name}: ${failed.error}`, {
        hint: `The steps after it were skipped; see data/runs/${manifest.runId}.json or \`duckmart runs ${manifest.runId}\`.`,
      });
    }
  },
});
