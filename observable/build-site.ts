import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, realpathSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckmartError } from "../cli/core/errors.ts";
import type { Logger } from "../cli/core/logger.ts";
import type { LakePaths } from "../cli/core/paths.ts";
import type { DuckmartConfig } from "../cli/core/config-schema.ts";
import { resolveBuild, type BuildLayout } from "../cli/core/contracts/build-manifest.ts";
import { secretsForChild } from "../cli/core/redact.ts";
import { dropLoaderCache, seedNpmVersionCache } from "./framework-offline.ts";
import { pagePayloads, type PagePayload } from "./page-payloads.ts";
import { buildSiteData, placeDrillDownPages } from "./site-data/build-site-data.ts";
import { withSiteLock } from "./site-lock.ts";
import { buildInfoFooter, readBuildInfo } from "./site-data/build-info.ts";
import { cachedShell, shellKey, shellTemp, stampShell, storeShell } from "./site-shell.ts";

export const siteRoot = fileURLToPath(new URL(".", import.meta.url));
/** The site of the checkout's own data dir (`data/`, what `npm start` uses). */
export const distDir = join(siteRoot, "dist");
/** The checkout's own data dir, whose site goes to observable/dist. */
const checkoutDataDir = join(siteRoot, "..", "data");
const cacheDir = join(siteRoot, "src", ".observablehq", "cache");
/** One site build at a time per checkout (site-lock.ts). */
export const siteLock = join(siteRoot, ".site-build.lock");
/** Framework's build of the pages for the current code (observable/.observablehq is ignored by git). */
export const shellRoot = join(siteRoot, ".observablehq", "shell");

export interface SiteContext {
  config: DuckmartConfig;
  paths: LakePaths;
  logger: Logger;
}

export interface SiteSummary {
  outDir: string;
  pages: number;
  durationMs: number;
  payloads: PagePayload[];
  /** Product pages (one per product, from the products/[product].md template). */
  productPages: number;
}

/** The Framework CLI, from node_modules (never npx: nothing is downloaded). */
export function frameworkBin(): string {
  const pkg = createRequire(import.meta.url).resolve("@observablehq/framework/package.json");
  return join(dirname(pkg), "dist", "bin", "observable.js");
}

/**
 * `duckmart site build`: run Observable Framework offline over one build's marts (the current one, or `buildId`).
 * Framework caches loader output and cannot see that the build changed, so the cache is dropped whenever the
 * build's fingerprint differs.
 */
export async function buildSite(
  context: SiteContext,
  options: { runId?: string; buildId?: string } = {},
): Promise<SiteSummary> {
  const started = Date.now();
  const { paths, logger } = context;
  const { layout, manifest } = await resolveBuild(paths, options.buildId);
  if (!existsSync(layout.catalog)) {
    throw new DuckmartError(`Build ${manifest.buildId} has no catalog to build the site from`, {
      hint: 'Run "duckmart transform" first (or "duckmart run").',
    });
  }
  logger.start(`Building the site from build ${manifest.buildId}`);
  const outDir = siteDirFor(context);
  // A failing loader (the privacy guard included) makes Framework exit non-zero: runFramework throws with its
  // message. Framework empties its output folder first, so it builds into a temporary sibling that replaces
  // the site only on success: a failed build keeps the last good site.
  const output = join(dirname(outDir), `.${basename(outDir)}-${process.pid}`);
  const drillDir = join(dirname(outDir), `.drill-down-${process.pid}`); // beside the output: moved into it
  const placed = await withSiteLock(siteLock, logger, async () => {
    await invalidateStaleCache(layout, paths, options.runId, logger);
    // Framework builds the pages once per version of the code (the shell); each build stamps its data and footer
    // into a copy of it (site-shell.ts).
    const key = await shellKey(siteRoot);
    let shell = cachedShell(shellRoot, key);
    const shellBuild = shellTemp(shellRoot);
    try {
      await mkdir(dirname(outDir), { recursive: true });
      // One process computes every data file, and writes the product documents while Framework builds the shell
      // (when the code changed).
      const dirs = siteDataDirs(context, layout);
      const data = await buildSiteData({ ...dirs, drillDir }, async () => {
        if (shell) return;
        logger.debug(`Building the pages with Observable Framework (shell ${key}: the code changed)`);
        await runFramework(["build"], context, { DUCKMART_SITE_OUTPUT: shellBuild, DUCKMART_SITE_SHELL: "1" });
        shell = await storeShell(shellRoot, key, shellBuild);
      });
      const footer = buildInfoFooter(readBuildInfo(paths.root, layout.dir));
      await stampShell(shell!, output, dirs.pagesDir, footer);
      const placed = await placeDrillDownPages(output, drillDir);
      await swapDirectory(output, outDir);
      logger.debug(`Site data: ${data.files} files, largest product document ${data.largestProductBytes} bytes`);
      return placed;
    } finally {
      await rm(output, { recursive: true, force: true });
      await rm(drillDir, { recursive: true, force: true });
      await rm(shellBuild, { recursive: true, force: true });
    }
  });
  const payloads = await pagePayloads(outDir);
  const productPages = placed["products"] ?? 0;
  const pages = payloads.filter((p) => !/^(categories|products)\//.test(p.page)).length + (placed["categories"] ?? 0);
  logger.success(`Built the site in ${outDir} (${pages} pages and ${productPages} product pages)`);
  return { outDir, pages: pages + productPages, durationMs: Date.now() - started, payloads, productPages };
}

/**
 * Where a data dir's site goes: `siteDir` (DUCKMART_SITE_DIR) when set; else observable/dist for the checkout's own
 * `data/` (`npm start`), and `<data-dir>/site` for any other data dir, so two lakes never share (and overwrite) one
 * site.
 */
export function siteDirFor(context: Pick<SiteContext, "config" | "paths">): string {
  if (context.config.siteDir) return resolve(context.config.siteDir);
  return samePath(context.paths.root, checkoutDataDir) ? distDir : context.paths.siteDir;
}

/** The same folder, also when one of the two is reached through a symlink. */
function samePath(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Where the site data is computed from (the build's marts) and written to (observable/src/data/gen, ignored by git). */
function siteDataDirs(context: SiteContext, layout: BuildLayout) {
  return {
    dataDir: context.paths.root,
    buildDir: layout.dir,
    pagesDir: join(siteRoot, "src", "data", "gen"),
    memoryLimit: context.config.duckdb.memoryLimit,
    tempDirectory: join(context.paths.root, ".duckdb-tmp"),
  };
}

/**
 * `duckmart site dev`: Framework's preview server with live reload, until Ctrl-C or SIGTERM, which stop the
 * server too: its port is free when this returns. Product pages need `site build`.
 */
export async function devSite(context: SiteContext, options: { port?: number } = {}): Promise<void> {
  const { layout } = await resolveBuild(context.paths);
  await withSiteLock(siteLock, context.logger, async () => {
    await invalidateStaleCache(layout, context.paths, undefined, context.logger);
    await buildSiteData(siteDataDirs(context, layout), async () => undefined);
  });
  const port = options.port ? ["--port", String(options.port)] : [];
  const child = spawnFramework(["preview", "--no-open", ...port], context, "inherit", {
    DUCKMART_BUILD_DIR: layout.dir,
  });
  return new Promise((resolve, reject) => {
    let stopped = false;
    const stop = () => {
      stopped = true;
      child.kill("SIGTERM");
    };
    process.on("SIGINT", stop).on("SIGTERM", stop);
    child.on("error", reject);
    child.on("close", (code) => {
      process.off("SIGINT", stop).off("SIGTERM", stop);
      if (stopped || code === 0) resolve();
      else reject(new DuckmartError(`Observable Framework's preview server exited with code ${code}`));
    });
  });
}

/** node_modules/.bin of the tsx that Framework runs TypeScript loaders with. */
function binDir(): string {
  const tsxPackage = createRequire(import.meta.url).resolve("tsx/package.json");
  return join(dirname(dirname(tsxPackage)), ".bin");
}

function spawnFramework(
  args: string[],
  context: SiteContext,
  stdio: "inherit" | "pipe",
  extraEnv: Record<string, string> = {},
): ChildProcess {
  return spawn(process.execPath, [frameworkBin(), ...args], {
    cwd: siteRoot,
    env: {
      ...process.env,
      PATH: `${binDir()}${delimiter}${process.env["PATH"] ?? ""}`,
      DUCKMART_DATA_DIR: context.paths.root,
      DUCKMART_MEMORY_LIMIT: context.config.duckdb.memoryLimit,
      OBSERVABLE_TELEMETRY_DISABLE: "true",
      ...secretsForChild(),
      ...extraEnv,
    },
    stdio: stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
  });
}

function runFramework(args: string[], context: SiteContext, extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnFramework(args, context, "pipe", extraEnv);
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      context.logger.debug(output);
      if (code === 0) resolve(output);
      else
        reject(
          new DuckmartError(`Observable Framework exited with code ${code}: ${firstProblem(output)}`, {
            hint: "Run with --debug to see its full output.",
          }),
        );
    });
  });
}

/** Replace `target` with `fresh`: two renames, so dist is never half-written. */
async function swapDirectory(fresh: string, target: string): Promise<void> {
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) await rename(target, old);
  await rename(fresh, target);
  await rm(old, { recursive: true, force: true });
}

function firstProblem(output: string): string {
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  const clean = output.replace(/\u001b\[[0-9;]*m/g, "");
  const lines = clean.split("\n");
  const thrown = lines.map((l) => /^\s*(?:\w*Error): (.+)$/.exec(l)?.[1]).find(Boolean);
  return thrown ?? lines.find((l) => /error|failed/i.test(l))?.trim() ?? clean.trim().split("\n").at(-1) ?? "";
}

async function invalidateStaleCache(
  build: BuildLayout,
  paths: LakePaths,
  runId: string | undefined,
  logger: Logger,
): Promise<void> {
  const stampPath = join(cacheDir, "duckmart-stamp");
  const stamp = await martsFingerprint(build, paths);
  const previous = existsSync(stampPath) ? await readFile(stampPath, "utf8") : "";
  if (previous !== stamp) {
    if (previous) logger.info(`Build or marts changed${runId ? ` (run ${runId})` : ""}: dropping cached loader output`);
    await dropLoaderCache(cacheDir);
    await mkdir(cacheDir, { recursive: true });
    await writeFile(stampPath, stamp);
  }
  await seedNpmVersionCache(cacheDir);
}

async function martsFingerprint(build: BuildLayout, paths: LakePaths): Promise<string> {
  const hash = createHash("sha256");
  const files = [
    build.manifest,
    build.catalog,
    ...(await readdir(build.martsDir)).sort().map((f) => join(build.martsDir, f)),
  ];
  const runs = existsSync(paths.runsDir)
    ? (await readdir(paths.runsDir))
        .sort()
        .slice(-1)
        .map((f) => join(paths.runsDir, f))
    : [];
  for (const file of [...files, ...runs]) {
    const s = await stat(file);
    hash.update(`${file}\t${s.size}\t${s.mtimeMs}\n`);
  }
  return hash.digest("hex");
}
