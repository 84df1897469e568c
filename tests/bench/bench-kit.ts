import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const child = fileURLToPath(new URL("./bench-child.ts", import.meta.url));

export interface Measured {
  task: string;
  ms: number;
  rows: number;
  maxRssMb: number;
  /** Where the task's time went, when it reports phases (the files source). */
  phasesMs?: Record<string, number>;
  /** User + system CPU time of the task's process, in ms. */
  cpuMs?: number;
}

/** Run one task in a fresh Node process (with tsx) and return its timing and peak RSS. */
export function measure(task: string, args: string[], env: Record<string, string> = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", child, task, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("BENCH "));
      if (code !== 0 || !line) reject(new Error(`${task} exited with ${code}`));
      else resolve(JSON.parse(line.slice(6)) as Measured);
    });
  });
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const mb = (v: number) => `${Math.round(v)} MiB`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

export function table(title: string, rows: Record<string, string | number>[]): void {
  const keys = Object.keys(rows[0] ?? {});
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join("  ");
  console.log(
    `\n## ${title}\n${line(keys)}\n${line(widths.map((w) => "-".repeat(w)))}\n${rows.map((r) => line(keys.map((k) => String(r[k])))).join("\n")}`,
  );
}

export const BIG_SCALE = 13_700; // about 10M order items
export const benchRoot = process.env["DUCKMART_BENCH_DIR"] ?? join(tmpdir(), "duckmart-bench");
export const bigLake = join(benchRoot, "big");

/** The 10M-item sample lake the transform, sync and site benchmarks share (extracted once, untimed). */
export async function ensureBigLake(): Promise<void> {
  if (existsSync(join(bigLake, "raw", "sample", "order_items", "current.json"))) return;
  await mkdir(bigLake, { recursive: true });
  console.log(`(preparing the ${BIG_SCALE}-scale sample lake in ${bigLake}, not timed)`);
  await measure("extract", [bigLake, String(BIG_SCALE)]);
}

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** The parent of the first commit whose message matches `grep`: the code a feature is compared with. */
export function commitBefore(grep: string, envOverride: string): string {
  if (process.env[envOverride]) return process.env[envOverride]!;
  const first = execFileSync("git", ["-C", repoRoot, "log", "--format=%H", "--reverse", `--grep=${grep}`], {
    encoding: "utf8",
  })
    .split("\n")
    .find(Boolean);
  if (!first) throw new Error(`Cannot find a commit matching ${grep}; set ${envOverride}`);
  return `${first}^`;
}

/** A commit's source tree (git archive) under the bench dir, sharing this checkout's node_modules. */
export async function sourceTree(ref: string): Promise<string> {
  const dir = await mkdtemp(join(benchRoot, "baseline-"));
  execFileSync("sh", ["-c", `git -C '${repoRoot}' archive '${ref}' | tar -x -C '${dir}'`]);
  await symlink(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  return dir;
}
