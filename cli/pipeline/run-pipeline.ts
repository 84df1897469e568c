import { DuckmartError, isTransient, errorMessage } from "../core/errors.ts";
import { duckdbVersion } from "../core/duckdb.ts";
import { quietLogger } from "../core/logger.ts";
import { formatDuration } from "../core/table.ts";
import { packageVersion } from "../core/version.ts";
import type { CommandContext } from "../shared-args.ts";
import { hostname } from "node:os";
import { acquireDataLock } from "../core/lock.ts";
import { cleanupLake } from "../core/lake-cleanup.ts";
import { onInterrupt } from "../core/interrupt.ts";
import { currentBuildLine, interruptAlertTimeoutMs, markInterrupted } from "./run-interrupt.ts";
import {
  newRunId,
  writeRunManifest,
  writeRunManifestSync,
  type RunManifest,
  type StepName,
  type StepRecord,
} from "../core/contracts/run-manifest.ts";
import { pipelineSteps, type StepOutcome } from "./pipeline-steps.ts";
import { sendInterruptedRunAlerts, sendRunAlerts } from "./alerts.ts";

export interface RunOptions {
  only?: StepName[];
  skip?: StepName[];
  select?: string[];
  /** `--accept-row-drop`: marts whose row-count guard failure the run's build accepts (recorded in build.json). */
  acceptRowDrop?: string[];
  /** What the extract step lands (default: the shop source, plus Stripe when it has a key). */
  sources?: string[];
  fullRefresh?: boolean;
  /** Retries for a step that fails with a transient error. */
  retries?: number;
  /** Deprecated --max-age: warn_after (hours) on every raw table's extraction, and alert on the warnings. */
  maxAgeHours?: number;
  /** Print every stage's detail (per-entity, per-model and per-test tables); otherwise one line per step. */
  verbose?: boolean;
}

/** Which steps a step needs: a failure upstream skips it. */
const needs: Record<StepName, StepName[]> = {
  extract: [],
  freshness: ["extract"],
  transform: ["extract", "freshness"],
  test: ["transform"],
  sync: ["transform", "test"],
  site: ["transform", "test"],
};

/**
 * `duckmart run`: extract, transform, test, sync (when a database is configured) and site, under a lock on
 * the data dir, recording a manifest in data/runs/<run-id>.json and alerting when it fails.
 */
export async function runPipeline(context: CommandContext, options: RunOptions = {}): Promise<RunManifest> {
  const { config, paths, logger } = context;
  const runId = newRunId();
  const lock = await acquireDataLock(paths.lock, "run", logger, { runId });
  if (lock.fresh)
    await cleanupLake(paths, logger).catch(async (error) => {
      await lock.release();
      throw error;
    });
  const started = Date.now();
  const manifest: RunManifest = {
    runId,
    status: "running",
    pid: process.pid,
    host: hostname(),
    startedAt: new Date(started).toISOString(),
    asOf: config.asOf,
    source: config.source,
    steps: [],
    tests: [],
    driftWarnings: [],
    versions: { duckmart: packageVersion, duckdb: await duckdbVersion(), node: process.version },
    logsUrl: ciLogsUrl(),
  };
  let during = "start";
  let stepStarted = started;
  const forgetInterrupt = onInterrupt((signal) => {
    const interrupted = markInterrupted(context, manifest, { during, signal, stepStarted });
    logger.error(`Run ${runId} interrupted during ${during}; ${currentBuildLine(context)}`);
    // A run that did not finish alerts like a failed one (a CI timeout is a SIGINT or SIGTERM). Sent before the lock
    // is released, with the run's own code held still meanwhile, and for a bounded time.
    interrupted.alerts = sendInterruptedRunAlerts(context, interrupted, interruptAlertTimeoutMs);
    writeRunManifestSync(paths.runsDir, interrupted);
  });
  try {
    const stepContext = options.verbose ? context : { ...context, logger: quietLogger(logger) };
    const steps = pipelineSteps(stepContext, options, manifest);
    for (const name of Object.keys(steps) as StepName[]) {
      during = name;
      stepStarted = Date.now();
      let summary: string | undefined;
      const step = async () => {
        const outcome = await steps[name]();
        summary = outcome.summary;
        return outcome;
      };
      const record = await runStep(name, step, manifest, options);
      manifest.steps.push(record);
      // Written after every step: a crashed run leaves its progress, and the site step shows the run so far.
      await writeRunManifest(paths.runsDir, manifest);
      const detail = summary ? `: ${summary}` : "";
      if (record.status === "ok") logger.success(`${name}: ok in ${formatDuration(record.durationMs ?? 0)}${detail}`);
      else if (record.status === "failed") logger.error(`${name}: failed: ${record.error}`);
      else logger.info(`${name}: skipped (${record.reason})${detail}`);
    }
  } finally {
    forgetInterrupt();
    manifest.finishedAt = new Date().toISOString();
    manifest.durationMs = Date.now() - started;
    manifest.status = manifest.steps.some((s) => s.status === "failed") ? "failed" : "success";
    await writeRunManifest(paths.runsDir, manifest);
    await lock.release();
  }
  // Alerts never change the run's result: failures to send are logged and counted in the manifest.
  manifest.alerts = await sendRunAlerts(context, manifest, { digest: options.maxAgeHours !== undefined });
  await writeRunManifest(paths.runsDir, manifest);
  await recordFinalRun(context, manifest);
  return manifest;
}

async function runStep(
  name: StepName,
  step: () => Promise<StepOutcome>,
  manifest: RunManifest,
  options: RunOptions,
): Promise<StepRecord> {
  if (options.only?.length && !options.only.includes(name)) return { name, status: "skipped", reason: "not in --only" };
  if (options.skip?.includes(name)) return { name, status: "skipped", reason: "--skip" };
  const blockedBy = needs[name].map((dep) => failureBehind(manifest, dep)).find((dep) => dep !== undefined);
  if (blockedBy) return { name, status: "skipped", reason: `${blockedBy} failed`, blockedBy };
  const startedAt = new Date().toISOString();
  const started = Date.now();
  const maxAttempts = 1 + (options.retries ?? 1);
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await step();
      if (outcome.skipped)
        return { name, status: "skipped", reason: outcome.skipped, startedAt, durationMs: Date.now() - started };
      return {
        name,
        status: outcome.failed ? "failed" : "ok",
        error: outcome.failed,
        hint: outcome.failed ? outcome.hint : undefined,
        startedAt,
        durationMs: Date.now() - started,
        rows: outcome.rows,
        attempts: attempt,
      };
    } catch (error) {
      if (isTransient(error) && attempt < maxAttempts) continue;
      return {
        name,
        status: "failed",
        error: errorMessage(error),
        hint: error instanceof DuckmartError ? error.hint : undefined,
        startedAt,
        durationMs: Date.now() - started,
        attempts: attempt,
      };
    }
  }
}

/** With a warehouse, the finished run replaces the "running" row the sync step wrote in duckmart_runs. */
async function recordFinalRun(context: CommandContext, manifest: RunManifest): Promise<void> {
  const { config, logger, paths } = context;
  if (!config.databaseUrl || manifest.steps.find((s) => s.name === "sync")?.status !== "ok") return;
  try {
    const { recordRunHistory } = await import("../../export/run-history-sync.ts");
    await recordRunHistory(config.databaseUrl, config.schema, paths.runsDir);
  } catch (error) {
    logger.warn(`Could not record the run in duckmart_runs: ${errorMessage(error)}`);
  }
}

/** A link to this run's logs when a CI provides one (GitHub Actions). */
function ciLogsUrl(): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
  return GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID
    ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
    : undefined;
}

/** The failed step behind `dep`: itself when it failed, or the failure that made it skip. */
function failureBehind(manifest: RunManifest, dep: StepName): StepName | undefined {
  const record = manifest.steps.find((s) => s.name === dep);
  return record?.status === "failed" ? dep : record?.blockedBy;
}
