import { constants } from "node:os";

/**
 * Synchronous: it runs in the signal handler, just before the process exits, and nothing else runs meanwhile (a run
 * may block here for a bounded time to send its alert, see run-pipeline.ts).
 */
export type InterruptCleanup = (signal: NodeJS.Signals) => void;

const signals = ["SIGINT", "SIGTERM"] as const;
const cleanups: InterruptCleanup[] = [];
let enabled = false;
let listening = false;

/**
 * The CLI's Ctrl-C (SIGINT) and SIGTERM while a cleanup is registered (the data-dir lock is held): run the cleanups
 * (a run marks its manifest, the lock is released), then exit with 128 + the signal number, the shell's convention
 * (130 for Ctrl-C, 143 for SIGTERM). With none registered the signals are left alone (Node's default, or a
 * command's own handler: `site dev` stops its preview server). Only the CLI enables it: a program that imports the
 * stages keeps its own signal handling.
 */
export function exitCleanlyOnInterrupt(): void {
  enabled = true;
  listen();
}

/** Run `cleanup` if the CLI is interrupted (see exitCleanlyOnInterrupt). Returns the function that unregisters it. */
export function onInterrupt(cleanup: InterruptCleanup): () => void {
  cleanups.push(cleanup);
  listen();
  return () => {
    const index = cleanups.indexOf(cleanup);
    if (index >= 0) cleanups.splice(index, 1);
    listen();
  };
}

/** Listen exactly while enabled and something is registered. */
function listen(): void {
  const want = enabled && cleanups.length > 0;
  if (want === listening) return;
  listening = want;
  for (const signal of signals) {
    if (want) process.on(signal, onSignal);
    else process.off(signal, onSignal);
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // Newest first: a run marks its manifest before the lock it was taken under is released.
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup(signal);
    } catch {
      // The process still exits; the next command's lake cleanup repairs what is left.
    }
  }
  process.exit(128 + (constants.signals[signal] ?? 2));
}
