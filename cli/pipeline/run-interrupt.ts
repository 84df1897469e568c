import { readFileSync } from "node:fs";
import type { BuildPointer } from "../core/contracts/build-manifest.ts";
import { writeRunManifestSync, type RunManifest, type StepName } from "../core/contracts/run-manifest.ts";
import type { CommandContext } from "../shared-args.ts";

/**
 * How long an interrupted run may take to send its alert before it exits anyway. GitHub Actions stops a cancelled or
 * timed-out job with SIGINT, then SIGTERM 7.5 s later and SIGKILL 2.5 s after that: the alert fits before the SIGTERM.
 */
export const interruptAlertTimeoutMs = 5_000;

/**
 * Ctrl-C or SIGTERM during `duckmart run`: the manifest says `interrupted` and in which step, at once (not
 * `abandoned` only once the next command looks). Synchronous: it runs in the signal handler, right before the exit.
 * Returns the manifest as written.
 */
export function markInterrupted(
  context: CommandContext,
  manifest: RunManifest,
  at: { during: string; signal: string; stepStarted: number },
): RunManifest {
  const now = Date.now();
  const step = manifest.steps.some((s) => s.name === at.during) ? undefined : (at.during as StepName);
  const interrupted: RunManifest = {
    ...manifest,
    status: "interrupted",
    interrupted: { during: at.during, signal: at.signal },
    steps:
      step && at.during !== "start"
        ? [
            ...manifest.steps,
            {
              name: step,
              status: "failed",
              error: `interrupted (${at.signal})`,
              startedAt: new Date(at.stepStarted).toISOString(),
              durationMs: now - at.stepStarted,
            },
          ]
        : manifest.steps,
    finishedAt: new Date(now).toISOString(),
    durationMs: now - Date.parse(manifest.startedAt),
  };
  writeRunManifestSync(context.paths.runsDir, interrupted);
  return interrupted;
}

/** What stays published after an interrupted run: the current build, which an interrupted one never replaces. */
export function currentBuildLine(context: CommandContext): string {
  try {
    const pointer = JSON.parse(readFileSync(context.paths.buildPointer, "utf8")) as BuildPointer;
    return `the last good build stays current (${pointer.buildId})`;
  } catch {
    return "there is no current build yet";
  }
}
