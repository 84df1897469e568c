import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeJsonAtomic } from "../atomic.ts";
import type { TestResult } from "./test-result.ts";

export type StepName = "extract" | "transform" | "test" | "sync" | "site";

export interface StepRecord {
  name: StepName;
  status: "ok" | "failed" | "skipped";
  startedAt?: string;
  durationMs?: number;
  rows?: number;
  attempts?: number;
  error?: string;
  reason?: string;
}

export interface RunManifest {
  runId: string;
  status: "running" | "success" | "failed";
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  asOf: string;
  source: string;
  steps: StepRecord[];
  tests: Pick<TestResult, "id" | "model" | "column" | "kind" | "severity" | "status" | "failingRows">[];
  driftWarnings: { source: string; entity: string; fields: string[] }[];
  versions: { duckmart: string; duckdb: string; node: string };
  logsUrl?: string;
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

/** Recent runs, newest first. */
export async function listRuns(runsDir: string, limit = 20): Promise<RunManifest[]> {
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
    files.map(async (f) => JSON.parse(await readFile(join(runsDir, f), "utf8")) as RunManifest),
  );
  return runs;
}

export async function readRun(runsDir: string, runId: string): Promise<RunManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(runsDir, `${runId}.json`), "utf8")) as RunManifest;
  } catch {
    return undefined;
  }
}
