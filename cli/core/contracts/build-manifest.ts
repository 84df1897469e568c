import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { writeJsonAtomic } from "../atomic.ts";
import { DuckmartError } from "../errors.ts";
import type { LakePaths } from "../paths.ts";
import type { TestResult } from "./test-result.ts";

export type PaymentsSource = "stripe" | "sample" | "none";

/** One raw snapshot a build read. */
export interface BuildInput {
  /** The stable raw name the models read, e.g. raw_orders. */
  name: string;
  source: string;
  entity: string;
  /** `as_of=<day>/extracted_at=<stamp>` under raw/<source>/<entity>/; absent when nothing had landed. */
  snapshot?: string;
  asOf?: string;
  extractedAt?: string;
  rowCount: number;
}

/**
 * building: models are being built (the folder is still builds/.tmp-<id>); built: every model built, tests not
 * run yet; passed: every error-severity check passed (promotable); failed: a model or an error-severity check failed.
 */
export type BuildStatus = "building" | "built" | "passed" | "failed";

export interface BuildModel {
  name: string;
  rowCount: number;
  /** Set when the mart was not rebuilt (`--select`) but linked from an earlier build. */
  reusedFrom?: string;
}

/** The baseline of the row-count guards; `shrink: false` when only emptiness was checked (no comparable as-of). */
export interface GuardBaselineRecord {
  buildId?: string;
  asOf?: string;
  shrink: boolean;
  reason: string;
}

/** `--accept-row-drop`: the command and run that accepted each mart's drop, with the row counts it accepted. */
export interface RowDropAcceptance {
  by: string;
  at: string;
  runId?: string;
  marts: { model: string; previousRows: number; rows: number; baselineBuildId: string }[];
}

/** data/builds/<id>/build.json: what one transform produced and from which inputs. */
export interface BuildManifest {
  buildId: string;
  status: BuildStatus;
  createdAt: string;
  finishedAt?: string;
  asOf: string;
  /** Where a deliberate as-of was set (`--as-of`, `DUCKMART_AS_OF`, a replay); absent for the default. */
  asOfSetBy?: string;
  shopSource: string;
  /** Why this shop source: named explicitly ("configured"), "last extracted", or the "default". */
  shopSourceOrigin: string;
  paymentsSource: PaymentsSource;
  inputs: BuildInput[];
  /** sha256 of every model's SQL and yml, the seeds and sources.yml. */
  modelsFingerprint: string;
  models: BuildModel[];
  /** Error-severity checks (data tests and row-count guards) that failed, by id. */
  failedChecks?: string[];
  /** Row-count guard results (also part of test-results.json once tests ran). */
  guards?: TestResult[];
  /** The build that was current when this one was made. */
  previousBuildId?: string;
  /** What the row-count guards compared with: a build of the same sources and a comparable as-of, or none. */
  guardBaseline?: GuardBaselineRecord;
  /** Row-count guard failures accepted for this build only (`--accept-row-drop`): which command accepted what. */
  rowDropAccepted?: RowDropAcceptance;
  runId?: string;
  /** Set when the build replays a past as-of day from its retained raw snapshots. */
  replayOf?: string;
  /** The snapshots' history as the build read it (as of `asOf`); history lives in data/history, outside builds. */
  history?: { snapshot: string; status: string; rowCount: number; days: string[] }[];
  error?: string;
  promotedAt?: string;
}

/** builds/current.json: the published build. */
export interface BuildPointer {
  buildId: string;
  promotedAt: string;
}

/** `b-20261126-045340-3f9a`: sortable by creation time, short enough for a page footer. */
export function newBuildId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `b-${stamp}-${randomBytes(2).toString("hex")}`;
}

/** The files of one build. `dir` is the final folder; `tmpDir` the one it is built in. */
export function buildLayout(paths: LakePaths, buildId: string) {
  const dir = paths.buildDir(buildId);
  return {
    buildId,
    dir,
    tmpDir: join(paths.buildsDir, `.tmp-${buildId}`),
    martsDir: join(dir, "marts"),
    mart: (model: string) => join(dir, "marts", `${model}.parquet`),
    catalog: join(dir, "catalog.json"),
    testResults: join(dir, "test-results.json"),
    manifest: join(dir, "build.json"),
  };
}
export type BuildLayout = ReturnType<typeof buildLayout>;

export async function writeBuildManifest(path: string, manifest: BuildManifest): Promise<void> {
  await writeJsonAtomic(path, manifest);
}

export async function readBuildManifest(paths: LakePaths, buildId: string): Promise<BuildManifest | undefined> {
  try {
    return JSON.parse(await readFile(buildLayout(paths, buildId).manifest, "utf8")) as BuildManifest;
  } catch {
    return undefined;
  }
}

export async function readBuildPointer(paths: LakePaths): Promise<BuildPointer | undefined> {
  try {
    return JSON.parse(await readFile(paths.buildPointer, "utf8")) as BuildPointer;
  } catch {
    return undefined;
  }
}

/** Every build (complete folders only), newest first. */
export async function listBuilds(paths: LakePaths): Promise<BuildManifest[]> {
  const ids = (await readdir(paths.buildsDir).catch((): string[] => []))
    .filter((d) => d.startsWith("b-"))
    .sort()
    .reverse();
  const out: BuildManifest[] = [];
  for (const id of ids) {
    const manifest = await readBuildManifest(paths, id);
    if (manifest) out.push(manifest);
  }
  return out;
}

/**
 * The build a reader uses: `--build ID` when given, else the current one. Refuses a build that is not complete
 * or failed its checks (unless `allowFailed`), naming what to do.
 */
export async function resolveBuild(
  paths: LakePaths,
  buildId?: string,
  options: { allowFailed?: boolean } = {},
): Promise<{ layout: BuildLayout; manifest: BuildManifest; isCurrent: boolean }> {
  const current = await readBuildPointer(paths);
  const id = buildId ?? current?.buildId;
  if (!id)
    throw new DuckmartError(`There is no current build in ${paths.buildsDir}`, {
      hint: 'Run "duckmart transform" (or "duckmart run") first.',
    });
  const manifest = await readBuildManifest(paths, id);
  if (!manifest || !existsSync(buildLayout(paths, id).martsDir))
    throw new DuckmartError(`No build "${id}" in ${paths.buildsDir}`, {
      hint: 'List the builds with "duckmart builds".',
      exitCode: buildId ? 2 : 1,
    });
  if (manifest.status === "failed" && !options.allowFailed)
    throw new DuckmartError(`Build ${id} failed (${manifest.error ?? manifest.failedChecks?.join(", ") ?? ""})`, {
      hint: 'Use the current build, or pick another one from "duckmart builds".',
    });
  return { layout: buildLayout(paths, id), manifest, isCurrent: id === current?.buildId };
}
