#!/usr/bin/env node
// The duckmart bin: runs the install-time build (cli/.build) when it is current, and the TypeScript sources through
// tsx otherwise, so there is no build step to forget and an edited source is never shadowed by old output.
import { freshBuild } from "./fresh-build.js";

// Plain text when output goes to a file or a pipe (CI logs, `| grep`), unless colours are forced.
if ((!process.stdout.isTTY || !process.stderr.isTTY) && !process.env.FORCE_COLOR) process.env.NO_COLOR ??= "1";

// DUCKMART_NO_BUILD=1 forces the tsx path (for `npm run bench:cli` and debugging).
const built = process.env.DUCKMART_NO_BUILD ? undefined : freshBuild("cli/main.ts");
// A build being replaced under us (rm, then rename) is not an error: the sources are there.
const entry = built ? await import(built).catch(() => undefined) : undefined;
if (entry) process.setSourceMapsEnabled(true);
else {
  const { register } = await import("tsx/esm/api");
  register();
}
const { runCli } = entry ?? (await import("./main.ts"));
process.exitCode = await runCli(process.argv.slice(2));
