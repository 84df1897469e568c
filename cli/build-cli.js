// Compiles the TypeScript the CLI loads into cli/.build/v-<hash>/ (one file each, plus a manifest of every source's
// mtime and size) and points cli/.build/current at it. A build folder is never changed once complete, so a CLI
// running from one keeps loading its own modules while a newer build appears; old folders are removed only when
// no live process has marked itself as running from them (cli/fresh-build.js). Used by `npm run build` (cli/build.js)
// and by the bin itself when the sources changed since the last build (after a `git pull`).
import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { isAlive, readCurrentId } from "./fresh-build.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const folders = ["cli", "extract", "transforms", "export", "observable"];

/**
 * Make cli/.build current. Resolves to { status, id, files, ms }: "up-to-date" (nothing to do), "compiled", or
 * "busy" (another process is compiling and `wait` is false: the caller runs the sources meanwhile).
 */
export async function buildCli({ root = projectRoot, wait = true } = {}) {
  const started = Date.now();
  const esbuild = await import("esbuild");
  const buildsDir = join(root, "cli", ".build");
  const sources = [];
  for (const folder of folders) for await (const path of typescriptFiles(root, join(root, folder))) sources.push(path);
  // Stat before reading: a source edited during the compile keeps its older mtime here, so the build reads as stale.
  const files = {};
  for (const path of sources) {
    const info = await stat(path);
    files[relative(root, path)] = [info.mtimeMs, info.size];
  }
  const manifest = JSON.stringify({
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
  });
  const id = `v-${createHash("sha256").update(manifest).digest("hex").slice(0, 16)}`;
  const done = (status) => ({ status, id, files: sources.length, ms: Date.now() - started });
  const previous = readCurrentId(root);
  if (previous === id && (await exists(join(buildsDir, id, "manifest.json")))) return done("up-to-date");

  await mkdir(buildsDir, { recursive: true });
  const lock = await compileLock(buildsDir, wait);
  if (!lock) return done("busy");
  try {
    // A build of the same sources that another process finished while this one waited is used as it is.
    if (!(await exists(join(buildsDir, id, "manifest.json")))) {
      const temp = join(buildsDir, `.tmp-${process.pid}`);
      await rm(temp, { recursive: true, force: true });
      await Promise.all(sources.map((path) => compile(esbuild, root, path, temp, join(buildsDir, id))));
      await mkdir(join(temp, "in-use"));
      await writeFile(join(temp, "manifest.json"), manifest);
      await rm(join(buildsDir, id), { recursive: true, force: true }); // an incomplete folder (no manifest)
      await rename(temp, join(buildsDir, id));
    }
    const pointer = join(buildsDir, `.current-${process.pid}`);
    await writeFile(pointer, id);
    await rename(pointer, join(buildsDir, "current"));
    await removeUnused(buildsDir, id, previous);
  } finally {
    await lock.release();
  }
  return done(previous === id ? "up-to-date" : "compiled");
}

/** One compile at a time per checkout (cli/.build/.compiling names its pid; a dead holder's lock is taken over). */
async function compileLock(buildsDir, wait) {
  const path = join(buildsDir, ".compiling");
  for (;;) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    const holder = Number(await readFile(path, "utf8").catch(() => ""));
    // An empty file is a holder between creating and writing it, unless that was long ago (it died in between).
    const ageMs = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (holder ? !isAlive(holder) : ageMs > 10_000) await rm(path, { force: true });
    else if (!wait) return undefined;
    else await sleep(100);
  }
}

/**
 * Remove the build folders no process runs from: not the current or the previous one (a CLI that read the pointer
 * just before it moved may not have marked itself yet), and none with a live pid in in-use/. Also what an older
 * layout (files directly in cli/.build) and killed compiles left.
 */
async function removeUnused(buildsDir, current, previous) {
  for (const name of await readdir(buildsDir)) {
    const path = join(buildsDir, name);
    if (name === "current" || name === ".compiling" || name === current || name === previous) continue;
    if (name.startsWith(".tmp-") || name.startsWith(".current-")) {
      if (!isAlive(Number(name.replace(/^\.\w+-/, "")))) await rm(path, { recursive: true, force: true });
      continue;
    }
    if (name.startsWith("v-")) {
      const users = await readdir(join(path, "in-use")).catch(() => []);
      if (users.some((pid) => isAlive(Number(pid)))) continue;
    } else if (!previous) continue; // the older layout goes at the second build, not under CLIs started before the first
    await rm(path, { recursive: true, force: true });
  }
}

/** Framework's own pages and components (observable/src) run inside Framework, not in the CLI. */
async function* typescriptFiles(root, dir) {
  const skipped = new Set([join(root, "observable", "src"), join(root, "observable", "dist")]);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules" && !skipped.has(path))
      yield* typescriptFiles(root, path);
    else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

/** One file: relative `.ts` imports become `.js`, and import.meta.url still points at the source. */
async function compile(esbuild, root, path, temp, final) {
  const rel = relative(root, path);
  const out = join(temp, rel.replace(/\.ts$/, ".js"));
  const source = relative(dirname(join(final, rel)), path);
  const { code } = await esbuild.transform(await readFile(path, "utf8"), {
    loader: "ts",
    format: "esm",
    target: "node20",
    sourcemap: "inline",
    sourcefile: path,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    define: {
      "import.meta.url": "__source_url",
      "import.meta.dirname": "__source_dirname",
      "import.meta.filename": "__source_filename",
    },
    banner:
      `import { fileURLToPath as __toPath } from "node:url";\n` +
      `const __source_url = new URL(${JSON.stringify(source)}, import.meta.url).href;\n` +
      `const __source_filename = __toPath(__source_url);\n` +
      `const __source_dirname = __toPath(new URL(".", __source_url));`,
  });
  const rewritten = code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']*)\.ts\2/g,
    (_, lead, quote, spec) => `${lead}${quote}${spec}.js${quote}`,
  );
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, rewritten);
}

const exists = (path) =>
  stat(path).then(
    () => true,
    () => false,
  );
