import { redactText } from "./redact.ts";

/** The one error type duckmart raises on purpose: a message, a hint on what to do, and the cause. */
export interface DuckmartErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Transient errors may be retried (network blips, 429, 5xx); terminal ones stop. */
  transient?: boolean;
  /** Process exit code the CLI uses: 1 for a failed run, 2 for a usage error. */
  exitCode?: 1 | 2;
  /**
   * An expected, terminal condition the message and hint fully explain (a lock held by another command): the CLI
   * does not offer a stack trace for it. Internal errors leave it unset.
   */
  expected?: boolean;
}

export class DuckmartError extends Error {
  readonly hint: string | undefined;
  readonly transient: boolean;
  readonly exitCode: 1 | 2;
  readonly expected: boolean;

  constructor(message: string, options: DuckmartErrorOptions = {}) {
    super(redactText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DuckmartError";
    this.hint = options.hint === undefined ? undefined : redactText(options.hint);
    this.transient = options.transient ?? false;
    this.exitCode = options.exitCode ?? 1;
    this.expected = options.expected ?? false;
  }
}

export function isTransient(error: unknown): boolean {
  return error instanceof DuckmartError && error.transient;
}

/** An error's message, redacted (a driver's message may quote a connection string). */
export function errorMessage(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}
