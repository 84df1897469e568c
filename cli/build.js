// Install-time build (`npm install` runs it as `prepare`; `npm run build` by hand): compile the TypeScript the CLI
// loads into cli/.build, one file each, plus a manifest of every source's mtime and size. The bin runs the build
// only while every source is unchanged (cli/fresh-build.js), and falls back to tsx otherwise: a stale build
// never runs old code.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const buildDir = join(root, "cli", ".build");
const folders = ["cli", "extract", "transforms", "export"];

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  console.warn("duckmart: esbuild is not installed; the CLI compiles its TypeScript at run time (slower start).");
  process.exit(0);
}

/** Framework's own pages and components (observable/src) run inside Framework, not in the CLI. */
const notCompiled = new Set([join(root, "observable", "src"), join(root, "observable", "dist")]);

async function* typescriptFiles(dir, recursive) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && recursive && !entry.name.startsWith(".") && !notCompiled.has(path))
      yield* typescriptFiles(path, true);
    else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

/** One file: relative `.ts` imports become `.js`, and import.meta.url still points at the source. */
async function compile(path, temp) {
  const rel = relative(root, path);
  const out = join(temp, rel.replace(/\.ts$/, ".js"));
  const source = relative(dirname(join(buildDir, rel)), path);
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
  return rel;
}

const started = Date.now();
const sources = [];
for (const folder of folders) for await (const path of typescriptFiles(join(root, folder), true)) sources.push(path);
for await (const path of typescriptFiles(join(root, "observable"), true)) sources.push(path);
// Every source's mtime and size, as the manifest records them (cli/fresh-build.js checks the same).
const files = {};
await Promise.all(
  sources.map(async (path) => {
    const info = await stat(path);
    files[relative(root, path)] = [info.mtimeMs, info.size];
  }),
);
const sorted = (record) =>
  JSON.stringify(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  );
const current = await readFile(join(buildDir, "manifest.json"), "utf8").then(
  (text) => JSON.parse(text).files,
  () => undefined,
);
if (current && sorted(current) === sorted(files)) {
  // Same sources: nothing to compile, and the build stays in place, so a CLI running from it keeps its modules.
  console.log(
    `duckmart: cli/.build is up to date (${sources.length} TypeScript files checked in ${Date.now() - started} ms)`,
  );
  process.exit(0);
}
const temp = `${buildDir}.tmp-${process.pid}`;
await Promise.all(sources.map((path) => compile(path, temp)));
await writeFile(join(temp, "manifest.json"), JSON.stringify({ files }));
// Swapped in whole with two renames (the old build is deleted after): the bin never sees a half-written or
// half-deleted build; between the renames it finds none and runs the sources.
const old = `${buildDir}.old-${process.pid}`;
await rename(buildDir, old).catch(() => undefined);
await rename(temp, buildDir);
await rm(old, { recursive: true, force: true });
console.log(`duckmart: compiled ${sources.length} TypeScript files into cli/.build in ${Date.now() - started} ms`);
