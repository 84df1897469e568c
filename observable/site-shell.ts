import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { DuckmartError } from "../cli/core/errors.ts";
import { footerMarker } from "./site-data/build-info.ts";

/**
 * The site's "shell": Framework's build of the pages, with a marker where the footer goes and the data files left
 * out. Framework's output depends on the data only through each page's `registerFile(...)` lines (a data file's
 * hashed path, size and mtime) and the copied files, so the shell is built once per version of the code (pages,
 * components, config, installed libraries) and every site build stamps its own data files and footer into a copy.
 * Framework takes 8-10 s of CPU for the nine pages; a stamp takes milliseconds.
 */
/** Data files the pages attach, under src/ (observable/src/data/gen, written by site-data). */
const genPrefix = "data/gen/";

/** Files whose content decides Framework's output, other than the data files. */
async function shellInputs(siteRoot: string): Promise<string[]> {
  const files: string[] = [];
  const visit = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== ".observablehq" && path !== join(siteRoot, "src", "data", "gen")) await visit(path);
      } else if (!entry.name.startsWith(".") && !entry.name.startsWith("gen.")) files.push(path);
    }
  };
  await visit(join(siteRoot, "src"));
  for (const f of ["observablehq.config.ts", "framework-offline.ts", "site-shell.ts", "site-data/build-info.ts"])
    files.push(join(siteRoot, f));
  const require = createRequire(join(siteRoot, "observablehq.config.ts"));
  for (const pkg of ["@observablehq/framework", "@observablehq/plot", "@observablehq/inputs", "htl", "d3"]) {
    try {
      files.push(require.resolve(`${pkg}/package.json`));
    } catch {
      // not installed on its own: part of another package's version
    }
  }
  const lock = join(siteRoot, "..", "package-lock.json");
  if (existsSync(lock)) files.push(lock);
  return files.sort();
}

/** A content hash of everything the shell is built from (file names and bytes, and the Node version). */
export async function shellKey(siteRoot: string): Promise<string> {
  const hash = createHash("sha256").update(`node ${process.version}\n`);
  for (const file of await shellInputs(siteRoot))
    hash
      .update(`${relative(siteRoot, file)}\0`)
      .update(await readFile(file))
      .update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** The cached shell for `key`, or null. */
export function cachedShell(shellRoot: string, key: string): string | null {
  const dir = join(shellRoot, key);
  return existsSync(join(dir, "index.html")) ? dir : null;
}

/**
 * Keep Framework's output `built` as the shell for `key`: its data files are dropped (each site stamps its own), and
 * it is renamed into place whole, replacing older shells.
 */
export async function storeShell(shellRoot: string, key: string, built: string): Promise<string> {
  const html = await htmlFiles(built);
  for (const file of html) {
    const text = await readFile(file, "utf8");
    if (text.split(footerMarker).length !== 2)
      throw new DuckmartError(`Framework's page ${relative(built, file)} has no single footer marker`);
  }
  await rm(join(built, "_file", "data", "gen"), { recursive: true, force: true });
  await mkdir(shellRoot, { recursive: true });
  for (const old of await readdir(shellRoot)) await rm(join(shellRoot, old), { recursive: true, force: true });
  const dir = join(shellRoot, key);
  await rename(built, dir);
  return dir;
}

export async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile() && entry.name.endsWith(".html")) out.push(join(entry.parentPath, entry.name));
  return out.sort();
}

interface DataFile {
  /** `_file/data/gen/<name>.<hash>.json`, as Framework names it. */
  path: string;
  size: number;
  lastModified: number;
}

/**
 * Copy the shell into `output` and stamp this build into it: every data file under its content-hashed name (as
 * Framework names them), each page's `registerFile` lines pointing at them, and the footer. Fails, naming the page,
 * when a page attaches a data file this build did not produce or has no footer marker: never a page with old numbers.
 */
export async function stampShell(shell: string, output: string, genDir: string, footer: string): Promise<number> {
  await cp(shell, output, { recursive: true });
  const files = new Map<string, DataFile>();
  await mkdir(join(output, "_file", "data", "gen"), { recursive: true });
  for (const name of await readdir(genDir)) {
    const bytes = await readFile(join(genDir, name));
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 8);
    const path = `_file/${genPrefix}${name.replace(/\.(\w+)$/, `.${hash}.$1`)}`;
    await writeFile(join(output, path), bytes);
    files.set(name, { path, size: bytes.length, lastModified: Math.floor((await stat(join(genDir, name))).mtimeMs) });
  }
  const pages = await htmlFiles(output);
  for (const page of pages) {
    const where = relative(output, page);
    let text = await readFile(page, "utf8");
    const attached = text.match(/registerFile\("(?:\.\.?\/)+data\/gen\//g)?.length ?? 0;
    let stamped = 0;
    text = text.replace(
      /registerFile\(("(?:\.\.?\/)+data\/gen\/[^"]+"), (\{[^\n]*?\})\);/g,
      (_, name: string, spec: string) => {
        const info = JSON.parse(spec) as { name: string; path: string; size: number; lastModified: number };
        const base = info.name.slice(info.name.indexOf(genPrefix) + genPrefix.length);
        const file = files.get(base);
        if (!file) throw new DuckmartError(`Page ${where} attaches ${info.name}, which this site build did not write`);
        const prefix = info.path.slice(0, info.path.indexOf("_file/"));
        stamped++;
        return `registerFile(${name}, ${JSON.stringify({ ...info, path: `${prefix}${file.path}`, lastModified: file.lastModified, size: file.size })});`;
      },
    );
    if (stamped !== attached)
      throw new DuckmartError(`Page ${where} attaches ${attached} data files; only ${stamped} could be stamped`);
    const parts = text.split(footerMarker);
    if (parts.length !== 2) throw new DuckmartError(`Page ${where} of the site shell has no single footer marker`);
    await writeFile(page, parts.join(footer));
  }
  return pages.length;
}

/** Sibling temp folder for a shell build (same file system as the shell cache, so it is renamed into place). */
export function shellTemp(shellRoot: string): string {
  return join(dirname(shellRoot), `.shell-${process.pid}`);
}
