import { join, relative } from "node:path";
import { defineCommand } from "citty";
import { DuckmartError } from "../core/errors.ts";
import { choiceListFlag, numberFlag } from "../flag-values.ts";
import { formatRunSummary } from "../pipeline/run-summary.ts";
import type { StepName } from "../core/contracts/run-manifest.ts";
import * as shared from "../shared-args.ts";
import { redactDeep } from "../core/redact.ts";

const stepNames: StepName[] = ["extract", "freshness", "transform", "test", "sync", "site"];

export default defineCommand({
  meta: {
    name: "run",
    description: "Run the whole pipeline: extract, transform, test, sync (with a database) and site build",
  },
  args: {
    ...shared.commonArgs,
    ...shared.asOfArg,
    ...shared.memoryArg,
    ...shared.sourceArgs,
    ...shared.databaseArgs,
    ...shared.selectArg,
    ...shared.acceptRowDropArg,
    only: { type: "string", description: `Run only these steps (comma-separated: ${stepNames.join(", ")})` },
    skip: { type: "string", description: "Skip these steps (comma-separated)" },
    retries: { type: "string", description: "Retries, 0-10, for a step that fails with a transient error (default 1)" },
    "max-age": {
      type: "string",
      description:
        "Deprecated: use freshness limits in transforms/sources.yml (warns and alerts past HOURS, 0 or more)",
    },
    json: { type: "boolean", description: "Print the run manifest as JSON on stdout instead of the summary table" },
    verbose: { type: "boolean", description: "Show every stage's detail: entities, models, each data test" },
  },
  async run({ args }) {
    // Every value is checked before the lock is taken or anything lands.
    const only = choiceListFlag(args, "only", stepNames);
    const skip = choiceListFlag(args, "skip", stepNames);
    const retries = numberFlag(args, "retries", { min: 0, max: 10, integer: true });
    const maxAgeHours = numberFlag(args, "max-age", { min: 0, max: 8784, unit: "hours" });
    const context = await shared.commandContext(args);
    if (maxAgeHours !== undefined)
      context.logger.warn(
        "--max-age is deprecated: declare freshness limits per raw table in transforms/sources.yml. For this run it is warn_after on every extraction, and warnings are alerted.",
      );
    const { landingSources } = await import("../source-list.ts");
    const extracts = (!only || only.includes("extract")) && !skip?.includes("extract");
    // The shop source the build reads, as transform chooses it: configured explicitly (--source, DUCKMART_SOURCE,
    // duckmart.config.ts), else the one extracted last in this data dir, else the default. The extract step lands it.
    const { chooseShopSource, describeShopSource } = await import("../core/shop-source.ts");
    const shop = chooseShopSource(context.config, context.paths);
    const sources = landingSources(context.config, args, extracts, shop.source);
    context.logger.info(describeShopSource(shop, context.config));
    const select = shared.splitList(args.select);
    if (select) await (await import("../select-check.ts")).checkSelectors(select);
    const acceptRowDrop = await (await import("../select-check.ts")).acceptRowDropFlag(args["accept-row-drop"]);
    const { runPipeline } = await import("../pipeline/run-pipeline.ts");
    const manifest = await runPipeline(context, {
      only,
      skip,
      select,
      acceptRowDrop,
      sources,
      fullRefresh: args["full-refresh"],
      retries,
      maxAgeHours,
      verbose: args.verbose,
    });
    if (args.json) process.stdout.write(`${JSON.stringify(redactDeep(manifest), null, 2)}\n`);
    else context.logger.info(formatRunSummary(manifest, context.paths.root));
    const failed = manifest.steps.find((s) => s.status === "failed");
    if (failed) {
      throw new DuckmartError(`Run ${manifest.runId} failed at step ${failed.name}: ${failed.error}`, {
        // The step's own hint (what to do about it) first, then where the run is recorded.
        hint: [
          failed.hint,
          `${afterFailure(manifest.steps, failed.name)} See ${relativeToCwd(join(context.paths.runsDir, `${manifest.runId}.json`))} or \`duckmart runs ${manifest.runId}\`.`,
        ]
          .filter(Boolean)
          .join(" "),
      });
    }
  },
});

/** What became of the steps after a failed one: skipped, or run (the site does not need a sync, say). */
function afterFailure(steps: { name: string; status: string; blockedBy?: string }[], failed: string): string {
  const after = steps.slice(steps.findIndex((s) => s.name === failed) + 1);
  const ran = after.filter((s) => s.status === "ok").map((s) => s.name);
  const skipped = after.filter((s) => s.status === "skipped" && s.blockedBy).map((s) => s.name);
  return [
    ran.length ? `Ran after it (they do not need ${failed}): ${ran.join(", ")}.` : "",
    skipped.length ? `Skipped as it failed: ${skipped.join(", ")}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** A path as the user would type it from here: relative when it is under the working directory. */
function relativeToCwd(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}
