import { defineCommand } from "citty";
import { DuckmartError } from "../core/errors.ts";
import { numberFlag } from "../flag-values.ts";
import { formatRunHistory, runHistory } from "../pipeline/run-history.ts";
import { readRun } from "../core/contracts/run-manifest.ts";
import { formatRunSummary } from "../pipeline/run-summary.ts";
import { commandContext, commonArgs } from "../shared-args.ts";

export default defineCommand({
  meta: { name: "runs", description: "List recent runs, or show one run's manifest" },
  args: {
    ...commonArgs,
    id: { type: "positional", required: false, description: "Run id to show" },
    json: { type: "boolean", description: "Print JSON" },
    limit: { type: "string", description: "How many recent runs to list, 1-10000 (default 20)" },
  },
  async run({ args }) {
    const limit = numberFlag(args, "limit", { min: 1, max: 10_000, integer: true }) ?? 20;
    const { paths } = await commandContext(args);
    if (args.id) {
      const run = await readRun(paths.runsDir, args.id);
      if (!run)
        throw new DuckmartError(`No run "${args.id}" in ${paths.runsDir}`, { hint: "List runs with `duckmart runs`." });
      if (args.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      else process.stdout.write(`${formatRunSummary(run, paths.root)}\n`);
      return;
    }
    const rows = await runHistory(paths.runsDir, limit);
    if (args.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    // The listing is the command's output: plain on stdout (the log, on stderr, carries the icons).
    else process.stdout.write(`${formatRunHistory(rows, paths.runsDir)}\n`);
  },
});
