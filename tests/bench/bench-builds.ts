import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BIG_SCALE, benchRoot, commitBefore, ratio, seconds, sourceTree, table } from "./bench-kit.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));

/** The last commit before builds landed: "today's figures" are measured on its code, in the same run. */
const baselineRef = () => commitBefore("^Builds: raw lands", "BENCH_BASELINE_REF");
const baselineTree = sourceTree;

interface RunFigures {
  wallMs: number;
  /** Steps that failed (tests at this scale, before the sample fix). */
  failed: string[];
  steps: Record<string, number>;
  lakeBytes: number;
  rawBytes: number;
  buildBytes: number;
}

/** `duckmart run --skip site` at about 10M order items on a fresh lake; step times from its manifest. */
function runPipeline(tree: string, dataDir: string): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(
      process.execPath,
      [
        join(tree, "cli", "duckmart.js"),
        "run",
        "--data-dir",
        dataDir,
        "--scale",
        String(BIG_SCALE),
        "--skip",
        "site",
        "--json",
      ],
      { env: { ...process.env, DUCKMART_AS_OF: "2026-11-24", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("close", (code) => {
      const wallMs = performance.now() - started;
      // Exit 1 with a complete manifest is a run whose tests failed (the code before builds fails them at this
      // scale: negative underpaid charges); its steps all ran, so its times still count.
      let manifest: { status: string; steps: { name: string; status: string; durationMs?: number }[] };
      try {
        manifest = JSON.parse(out) as typeof manifest;
      } catch {
        return reject(new Error(`duckmart run in ${tree} exited with ${code} and printed no manifest`));
      }
      const failed = manifest.steps.filter((s) => s.status === "failed").map((s) => s.name);
      const du = (path: string) =>
        existsSync(path) ? Number(execFileSync("du", ["-sbL", path], { encoding: "utf8" }).split("\t")[0]) : 0;
      resolve({
        wallMs,
        failed,
        steps: Object.fromEntries(manifest.steps.map((s) => [s.name, s.durationMs ?? 0])),
        lakeBytes: Number(execFileSync("du", ["-sb", dataDir], { encoding: "utf8" }).split("\t")[0]),
        rawBytes: du(join(dataDir, "raw")),
        buildBytes: du(join(dataDir, "marts")),
      });
    });
  });
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

export async function benchBuilds(): Promise<void> {
  await mkdir(benchRoot, { recursive: true });
  const ref = baselineRef();
  const tree = await baselineTree(ref);
  const lakes = [join(benchRoot, "builds-before"), join(benchRoot, "builds-after")];
  for (const lake of lakes) await rm(lake, { recursive: true, force: true });
  try {
    console.log(
      `(baseline: ${execFileSync("git", ["-C", repo, "log", "-1", "--format=%h %s", ref], { encoding: "utf8" }).trim().slice(0, 100)})`,
    );
    const before = await runPipeline(tree, lakes[0]!);
    // BENCH_AFTER_REF pins the code measured "with builds" (default: this checkout).
    const afterRef = process.env["BENCH_AFTER_REF"];
    const afterTree = afterRef ? await baselineTree(afterRef) : repo;
    const after = await runPipeline(afterTree, lakes[1]!).finally(() =>
      afterRef ? rm(afterTree, { recursive: true, force: true }) : undefined,
    );
    const row = (what: string, a: number, b: number) => ({
      measure: what,
      "before builds": seconds(a),
      "with builds": seconds(b),
      ratio: ratio(b, a),
    });
    table(`duckmart run --skip site, scale ${BIG_SCALE} (about 10M order items), before and with builds`, [
      row("extract (snapshot + pointer)", before.steps["extract"] ?? 0, after.steps["extract"] ?? 0),
      row("transform (into a build)", before.steps["transform"] ?? 0, after.steps["transform"] ?? 0),
      row("test (+ promotion)", before.steps["test"] ?? 0, after.steps["test"] ?? 0),
      { ...row("whole run, process wall time (target <= 1.10x)", before.wallMs, after.wallMs) },
      {
        measure: "failed steps",
        "before builds": before.failed.join(", ") || "none",
        "with builds": after.failed.join(", ") || "none",
        ratio: "",
      },
    ]);
    table("the lake on disk after one run", [
      { part: "raw", "before builds": gb(before.rawBytes), "with builds": gb(after.rawBytes) },
      { part: "marts (one build)", "before builds": gb(before.buildBytes), "with builds": gb(after.buildBytes) },
      { part: "whole data dir", "before builds": gb(before.lakeBytes), "with builds": gb(after.lakeBytes) },
      {
        part: "steady state, daily runs (30 raw days + current and 5 older builds)",
        "before builds": gb(before.lakeBytes),
        "with builds": gb(after.rawBytes * 30 + after.buildBytes * 6),
      },
    ]);
  } finally {
    await rm(tree, { recursive: true, force: true });
    for (const lake of lakes) await rm(lake, { recursive: true, force: true });
  }
}
