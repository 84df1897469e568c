#!/usr/bin/env node
// The duckmart bin: TypeScript runs directly through tsx, so there is no build step to forget.
import { register } from "tsx/esm/api";

// Plain text when output goes to a file or a pipe (CI logs, `| grep`), unless colours are forced.
if ((!process.stdout.isTTY || !process.stderr.isTTY) && !process.env.FORCE_COLOR) process.env.NO_COLOR ??= "1";

register();
const { runCli } = await import("./main.ts");
process.exitCode = await runCli(process.argv.slice(2));
