import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeJsonAtomic, writeJsonAtomicSync } from "../atomic.ts";
import { isAlive } from "../lock.ts";
import { redactDeep } from "../redact.ts";
import type { TestResult } from "./test-result.ts";
import type { FreshnessReport } from "./freshness.ts";

export type StepName = "extract" | "freshness" | "transform" | "test" | "sync" | "site";

/** Per channel: sent, failed to send, off (not configured) or none (nothing to send for this run). */
export type AlertChannelStatus = "sent" | "failed" | "off" | "none";

export interface AlertsRecord {
  /** failure: the run failed; digest: warnings (or an all-clear) with DUCKMART_ALERT_DIGEST on; none: nothing sent. */
  kind: "failure" | "digest" | "none";
  webhook: AlertChannelStatus;
  email: AlertChannelStatus;
  sent: number;
  failed: number;
}

export interface StepRecord {
  name: StepName;
  status: "ok" | "failed" | "skipped";
  startedAt?: string;
  durationMs?: number;
  rows?: number;
  attempts?: number;
  error?: string;
  /** What to do about the error, when it said. */
  hint?: string;
  reason?: string;
  /** Skipped because this step, upstream, failed: the skip blocks its own dependants too. */
  blockedBy?: StepName;
}

export interface RunManifest {
  runId: string;
  /**
   * `abandoned`: the process died while the run was `running` (killed); set by the next command. `interrupted`:
   * stopped by Ctrl-C or SIGTERM, set by the run itself as it exits.
   */
  status: "running" | "success" | "failed" | "abandoned" | "interrupted";
  /** For an interrupted run: the step it was in (`start` before the first began) and the signal. */
  interrupted?: { during: string; signal: string };
  /** The process and host that ran it, to tell a live run from an abandoned one. */
  pid?: number;
  host?: string;
  /** The build this run made (promoted or not), and whether it became current. */
  buildId?: string;
  buildPromoted?: boolean;
  /** The payments source of that build (`source` is its shop source). */
  paymentsSource?: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  asOf: string;
  /** Set when the run replayed a past as-of day from its retained raw snapshots (nothing was extracted). */
  replayOf?: string;
  source: string;
  steps: StepRecord[];
  tests: Pick<TestResult, "id" | "model" | "column" | "kind" | "severity" | "status" | "failingRows">[];
  driftWarnings: { source: string; entity: string; fields: string[] }[];
  versions: { duckmart: string; duckdb: string; node: string };
  logsUrl?: string;
  /** The freshness check after extraction. */
  freshness?: FreshnessReport;
  /** What was sent after the run (written once alerts are done). */
  alerts?: AlertsRecord;
  /** Where the site step put the site (its folder, absolute) and how many pages it has. */
  site?: { dir: string; pages: number };
}

export function newRunId(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-${process.pid}`;
}

export async function writeRunManifest(runsDir: string, manifest: RunManifest): Promise<string> {
  const path = join(runsDir, `${manifest.runId}.json`);
  await writeJsonAtomic(path, manifest);
  return path;
}

/** writeRunManifest from a signal handler (synchronous: the process exits right after). */
export function writeRunManifestSync(runsDir: string, manifest: RunManifest): void {
  writeJsonAtomicSync(join(runsDir, `${manifest.runId}.json`), manifest);
}

/** A `running` run whose process is gone is `abandoned`. */
export function effectiveStatus(run: RunManifest): RunManifest["status"] {
  // Runs recorded before pid was a field end their id with it.
  const pid = run.pid ?? Number(/-(\d+)$/.exec(run.runId)?.[1] ?? Number.NaN);
  return run.status === "running" && Number.isInteger(pid) && !isAlive({ pid, host: run.host })
    ? "abandoned"
    : run.status;
}

/**
 * Rewrite the manifests of `running` runs as `abandoned`; returns their ids. Called by a command that has just
 * taken the data-dir lock: every run holds that lock, so a run still marked `running` then is one that was killed
 * (whatever became of its pid).
 */
export async function markAbandonedRuns(runsDir: string): Promise<string[]> {
  const marked: string[] = [];
  // Only the status is read here (not redacted: nothing is shown); a rewritten manifest is redacted when written.
  for (const run of await readRunFiles(runsDir, 100, { redact: false })) {
    if (run.status !== "running") continue;
    await writeRunManifest(runsDir, { ...run, status: "abandoned" });
    marked.push(run.runId);
  }
  return marked;
}

/** Recent runs, newest first, with `running` runs whose process is gone shown as `abandoned`. */
/** Recent runs, newest first; redacted on read too (a manifest written before a secret was known). */
export async function listRuns(runsDir: string, limit = 20): Promise<RunManifest[]> {
  return (await readRunFiles(runsDir, limit)).map((run) => ({ ...run, status: effectiveStatus(run) }));
}

async function readRunFiles(runsDir: string, limit: number, options = { redact: true }): Promise<RunManifest[]> {
  let files: string[];
  try {
    files = (await readdir(runsDir))
      .filter((f) => f.endsWith(".json"))
      .sort()
      .reverse()
      .slice(0, limit);
  } catch {
    return [];
  }
  const runs = await Promise.all(
    files.map(async (f) => {
      const run = JSON.parse(await readFile(join(runsDir, f), "utf8")) as RunManifest;
      return options.redact ? redactDeep(run) : run;
    }),
  );
  return runs;
}

export async function readRun(runsDir: string, runId: string): Promise<RunManifest | undefined> {
  try {
    const run = redactDeep(JSON.parse(await readFile(join(runsDir, `${runId}.json`), "utf8")) as RunManifest);
    return { ...run, status: effectiveStatus(run) };
  } catch {
    return undefined;
  }
}
