#!/usr/bin/env node
// The duckmart bin: runs the compiled CLI (cli/.build) when it is current, and recompiles it first when a source
// changed since (a `git pull`, an edit: about 0.4 s, once). While another process compiles, or when the build cannot
// be written, it runs the TypeScript sources through tsx, so an edited source is never shadowed by old output.
import { freshBuild, markInUse } from "./fresh-build.js";

// Plain text when output goes to a file or a pipe (CI logs, `| grep`), unless colours are forced.
if ((!process.stdout.isTTY || !process.stderr.isTTY) && !process.env.FORCE_COLOR) process.env.NO_COLOR ??= "1";

// DUCKMART_NO_BUILD=1 forces the tsx path (for `npm run bench:cli` and debugging).
const noBuild = Boolean(process.env.DUCKMART_NO_BUILD);
const built = noBuild ? undefined : (freshBuild("cli/main.ts") ?? (await rebuild()));
// A build folder is never changed once complete, and marked as in use it is kept until this process exits (unless
// the mark cannot be written: a read-only install, which no rebuild can touch either).
if (built) markInUse(built);
const entry = built ? await import(built).catch(() => undefined) : undefined;
if (entry) process.setSourceMapsEnabled(true);
else {
  const { register } = await import("tsx/esm/api");
  register();
}
const { runCli } = entry ?? (await import("./main.ts"));
process.exitCode = await runCli(process.argv.slice(2));

/** Compile the changed sources into a new build; undefined (run through tsx) when another process is at it. */
async function rebuild() {
  try {
    const { buildCli } = await import("./build-cli.js");
    const result = await buildCli({ wait: false });
    if (result.status === "compiled" && process.stderr.isTTY)
      process.stderr.write(`duckmart: sources changed: recompiled cli/.build in ${result.ms} ms\n`);
    return result.status === "busy" ? undefined : freshBuild("cli/main.ts");
  } catch (error) {
    process.stderr.write(
      `duckmart: cli/.build is out of date and could not be rebuilt (${error.message}); running the sources through tsx (about 0.5 s slower). Run \`npm run build\` to fix.\n`,
    );
    return undefined;
  }
}
