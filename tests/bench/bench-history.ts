import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BIG_SCALE, benchRoot, commitBefore, ratio, seconds, sourceTree, table } from "./bench-kit.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
const du = (path: string) =>
  existsSync(path) ? Number(execFileSync("du", ["-sb", path], { encoding: "utf8" }).split("\t")[0]) : 0;

interface Run {
  wallMs: number;
  steps: Record<string, number>;
  failed: string[];
}

/** `duckmart run --skip sync,site` for one as-of day, with the run manifest's step times. */
function run(tree: string, dataDir: string, scale: number, asOf: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = ["run", "--data-dir", dataDir, "--scale", String(scale), "--as-of", asOf, "--skip", "sync,site"];
    const proc = spawn(process.execPath, [join(tree, "cli", "duckmart.js"), ...args, "--json"], {
      env: { ...process.env, NO_COLOR: "1", DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("close", (code) => {
      try {
        const manifest = JSON.parse(out) as { steps: { name: string; status: string; durationMs?: number }[] };
        resolve({
          wallMs: performance.now() - started,
          steps: Object.fromEntries(manifest.steps.map((s) => [s.name, s.durationMs ?? 0])),
          failed: manifest.steps.filter((s) => s.status === "failed").map((s) => s.name),
        });
      } catch {
        reject(new Error(`duckmart run ${asOf} in ${tree} exited with ${code} and printed no manifest`));
      }
    });
  });
}

const day = (offset: number) => new Date(Date.UTC(2026, 10, 24) + offset * 86_400_000).toISOString().slice(0, 10);

/** 30 simulated days at scale 1,000: the lake's size by part (raw keeps 30 days by default, history everything). */
async function thirtyDays(): Promise<void> {
  const lake = join(benchRoot, "history-30-days");
  await rm(lake, { recursive: true, force: true });
  const runs: Run[] = [];
  const sizes: { day: number; history: number; total: number }[] = [];
  for (let i = 29; i >= 0; i--) {
    runs.push(await run(repo, lake, 1_000, day(-i)));
    if ([29, 20, 10, 0].includes(i))
      sizes.push({ day: 30 - i, history: du(join(lake, "history")), total: du(join(lake)) });
  }
  const transformMs = runs.map((r) => r.steps["transform"] ?? 0);
  table("30 simulated days at scale 1,000 (208k orders, about 715k order items): the lake on disk", [
    { part: "raw (30 days of snapshots; retention.rawDays 30)", size: gib(du(join(lake, "raw"))) },
    { part: "builds (current + 5, retention.builds)", size: gib(du(join(lake, "builds"))) },
    { part: "history (every version, all 30 days)", size: mib(du(join(lake, "history"))) },
    { part: "whole data dir", size: gib(du(lake)) },
  ]);
  table(
    "growth",
    sizes.map((s) => ({ "after day": s.day, history: mib(s.history), "whole data dir": gib(s.total) })),
  );
  table("daily runs", [
    {
      runs: runs.length,
      "failed runs": runs.filter((r) => r.failed.length).length,
      "transform, day 1": seconds(transformMs[0] ?? 0),
      "transform, day 30": seconds(transformMs.at(-1) ?? 0),
      "whole run, day 30": seconds(runs.at(-1)?.wallMs ?? 0),
    },
  ]);
  await rm(lake, { recursive: true, force: true });
}

/** At about 10M order items: a daily run (day 2, history already started) before history and with it. */
async function bigDailyRun(): Promise<void> {
  const tree = await sourceTree(commitBefore("^History: SCD2", "BENCH_BASELINE_REF"));
  const lakes = [join(benchRoot, "history-before"), join(benchRoot, "history-after")];
  try {
    const figures: Run[] = [];
    for (const [i, code] of [tree, repo].entries()) {
      await rm(lakes[i]!, { recursive: true, force: true });
      await run(code, lakes[i]!, BIG_SCALE, day(-1));
      figures.push(await run(code, lakes[i]!, BIG_SCALE, day(0)));
      console.log(`(history on disk: ${mib(du(join(lakes[i]!, "history")))})`);
      await rm(lakes[i]!, { recursive: true, force: true });
    }
    const [before, after] = figures as [Run, Run];
    const row = (what: string, a: number, b: number) => ({
      measure: what,
      "before history": seconds(a),
      "with history": seconds(b),
      ratio: ratio(b, a),
    });
    table(`the second daily run at scale ${BIG_SCALE} (about 10M order items), before history and with it`, [
      row("extract", before.steps["extract"] ?? 0, after.steps["extract"] ?? 0),
      row("transform (+ snapshots, history marts)", before.steps["transform"] ?? 0, after.steps["transform"] ?? 0),
      row("test", before.steps["test"] ?? 0, after.steps["test"] ?? 0),
      row("whole run, wall time (target <= 1.20x)", before.wallMs, after.wallMs),
      {
        measure: "failed steps",
        "before history": before.failed.join(", ") || "none",
        "with history": after.failed.join(", ") || "none",
        ratio: "",
      },
    ]);
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}

export async function benchHistory(): Promise<void> {
  await mkdir(benchRoot, { recursive: true });
  if (process.env["BENCH_HISTORY_PART"] !== "big") await thirtyDays();
  if (process.env["BENCH_HISTORY_PART"] !== "days") await bigDailyRun();
}
