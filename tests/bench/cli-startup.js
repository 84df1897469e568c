// `npm run bench:cli`: median start-up time of the duckmart bin, next to the floor (`node -e 0`) and to the same
// commands through tsx (the bin's fallback when cli/.build is stale: what every start cost before the build).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../cli/duckmart.js", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);
const cwd = mkdtempSync(join(tmpdir(), "duckmart-bench-cli-"));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" };

function median(args, extraEnv = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd, env: { ...env, ...extraEnv }, stdio: "ignore" });
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const floor = median(["-e", "0"]);
const rows = [["node -e 0 (floor)", floor, undefined]];
for (const args of [["--help"], ["runs"], ["extract", "--help"]]) {
  const built = median([bin, ...args]);
  const tsx = median([bin, ...args], { DUCKMART_NO_BUILD: "1" });
  rows.push([`duckmart ${args.join(" ")}`, built, tsx]);
}
rmSync(cwd, { recursive: true, force: true });

const ms = (v) => (v === undefined ? "" : `${Math.round(v)} ms`);
console.log(`duckmart start-up, median of ${runs} runs (${process.version}, ${new Date().toISOString()})`);
console.log(
  ["command".padEnd(24), "built".padStart(8), "- floor".padStart(9), "tsx".padStart(8), "tsx/built".padStart(10)].join(
    "  ",
  ),
);
for (const [name, built, tsx] of rows)
  console.log(
    [
      name.padEnd(24),
      ms(built).padStart(8),
      (tsx === undefined ? "" : ms(built - floor)).padStart(9),
      ms(tsx).padStart(8),
      (tsx === undefined ? "" : `${(tsx / built).toFixed(1)}x`).padStart(10),
    ].join("  "),
  );
