#!/usr/bin/env node
// The duckmart bin: TypeScript runs directly through tsx, so there is no build step to forget.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("./main.ts");
process.exitCode = await runCli(process.argv.slice(2));
