import { defineCommand } from "citty";
import { DuckmartError } from "../core/errors.ts";
import { commandContext, commonArgs, memoryArg } from "../shared-args.ts";

export default defineCommand({
  meta: {
    name: "freshness",
    description:
      "Check the raw tables against the freshness limits in transforms/sources.yml (exit 1 past error_after)",
  },
  args: {
    ...commonArgs,
    ...memoryArg,
    json: { type: "boolean", description: "Print the checks as JSON on stdout" },
    alert: { type: "boolean", description: "Send the alert (webhook, email) when a table is past error_after" },
  },
  async run({ args }) {
    // Loaded when the command runs: `duckmart --help` loads every command module, and must stay light.
    const { freshnessFailure, freshnessHint, runFreshness } = await import("../stages/freshness-stage.ts");
    const { sendFreshnessAlerts } = await import("../pipeline/alerts.ts");
    const context = await commandContext(args);
    const report = await runFreshness(context);
    if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (args.alert) await sendFreshnessAlerts(context, report);
    const failure = freshnessFailure(report);
    if (failure)
      throw new DuckmartError(failure, {
        hint:
          freshnessHint(report, context.config, "freshness") ??
          "Run `duckmart run` to extract again, or find why the source or the schedule stopped; limits are in transforms/sources.yml.",
      });
  },
});
