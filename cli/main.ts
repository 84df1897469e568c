import { defineCommand, runCommand, showUsage, type CommandDef } from "citty";
import { DuckmartError } from "./core/errors.ts";
import { checkArgs } from "./strict-args.ts";
import { redactText } from "./core/redact.ts";
import { packageVersion } from "./core/version.ts";
import { exitCleanlyOnInterrupt } from "./core/interrupt.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own args type
type AnyCommand = CommandDef<any>;
const lazy = (load: () => Promise<{ default: AnyCommand }>) => () => load().then((m) => m.default);

export const main = defineCommand({
  meta: {
    name: "duckmart",
    version: packageVersion,
    description: "E-commerce data from API to warehouse and dashboards, on one laptop.",
  },
  args: {
    debug: { type: "boolean", description: "Show stack traces on errors" },
  },
  subCommands: {
    run: lazy(() => import("./commands/run.ts")),
    extract: lazy(() => import("./commands/extract.ts")),
    transform: lazy(() => import("./commands/transform.ts")),
    test: lazy(() => import("./commands/test.ts")),
    docs: lazy(() => import("./commands/docs.ts")),
    sync: lazy(() => import("./commands/sync.ts")),
    site: lazy(() => import("./commands/site.ts")),
    runs: lazy(() => import("./commands/runs.ts")),
    builds: lazy(() => import("./commands/builds.ts")),
    freshness: lazy(() => import("./commands/freshness.ts")),
  },
});

/** Runs the CLI and returns the exit code: 0 ok, 1 the run failed, 2 a usage error. */
export async function runCli(rawArgs: string[]): Promise<number> {
  const debug = rawArgs.includes("--debug");
  try {
    if (rawArgs.some((a) => a === "--help" || a === "-h") || rawArgs.length === 0) {
      await showUsage(...(await resolveForUsage(rawArgs)));
      return rawArgs.length === 0 ? 2 : 0;
    }
    if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
      process.stdout.write(`${packageVersion}\n`);
      return 0;
    }
    await checkArgs(main, rawArgs);
    exitCleanlyOnInterrupt();
    const { result } = await runCommand(main, { rawArgs });
    return typeof result === "number" ? result : 0;
  } catch (error) {
    // Loaded only on the error path: `--help` and the fast commands never pay for it.
    const logger = (await import("./core/logger.ts")).createLogger({ debug });
    if (error instanceof Error && error.name === "CLIError") {
      await showUsage(...(await resolveForUsage(rawArgs)));
      logger.error(error.message);
      return 2;
    }
    logger.error(error instanceof Error ? error.message : String(error));
    if (error instanceof DuckmartError && error.hint) logger.info(`Hint: ${error.hint}`);
    if (debug) process.stderr.write(`${redactText(formatStack(error))}\n`);
    else if (!(error instanceof DuckmartError && (error.exitCode === 2 || error.expected)))
      logger.info("Run with --debug for the stack trace.");
    return error instanceof DuckmartError ? error.exitCode : 1;
  }
}

async function resolveForUsage(rawArgs: string[]): Promise<[AnyCommand, AnyCommand?]> {
  const names = rawArgs.filter((a) => !a.startsWith("-"));
  const subs = main.subCommands as Record<string, () => Promise<AnyCommand>>;
  const loadFirst = names[0] ? subs[names[0]] : undefined;
  const first = loadFirst ? await loadFirst() : undefined;
  if (!first) return [main];
  const nested = (first.subCommands ?? {}) as Record<string, () => Promise<AnyCommand>>;
  const loadSecond = names[1] ? nested[names[1]] : undefined;
  const second = loadSecond ? await loadSecond() : undefined;
  return second ? [second, first] : [first, main];
}

function formatStack(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    parts.push(describeCause(e));
    if (parts.length > 5) break;
  }
  return parts.join("\nCaused by: ");
}

/** An Error's stack; a plain cause (a driver's redacted { code, message }, as for Postgres) as `code: message`. */
function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.stack ?? cause.message;
  if (!cause || typeof cause !== "object") return String(cause);
  const { code, message } = cause as { code?: unknown; message?: unknown };
  if (typeof message === "string") return typeof code === "string" ? `${code}: ${message}` : message;
  try {
    return JSON.stringify(cause);
  } catch {
    return Object.prototype.toString.call(cause);
  }
}
