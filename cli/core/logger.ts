import { createConsola } from "consola";
import { redactText } from "./redact.ts";

/** The effects every I/O function takes, so tests can silence or capture them. */
export interface Logger {
  info(message: string): void;
  success(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  start(message: string): void;
}

export function createLogger(options: { debug?: boolean } = {}): Logger {
  const consola = createConsola({
    level: options.debug ? 4 : 3,
    // consola already honours NO_COLOR and drops fancy output when stdout is not a TTY.
    stderr: process.stderr,
    stdout: process.stderr,
  });
  // Every line goes through the redaction: no secret reaches a terminal or a CI log.
  return {
    info: (m) => consola.info(redactText(m)),
    success: (m) => consola.success(redactText(m)),
    warn: (m) => consola.warn(redactText(m)),
    error: (m) => consola.error(redactText(m)),
    debug: (m) => consola.debug(redactText(m)),
    start: (m) => consola.start(redactText(m)),
  };
}

export interface LogLine {
  level: keyof Logger;
  message: string;
}

/** A logger that records every line; used by tests and by the run manifest. */
export function captureLogger(): Logger & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: keyof Logger) => (message: string) => void lines.push({ level, message: redactText(message) });
  return {
    lines,
    text: () => lines.map((l) => `${l.level}: ${l.message}`).join("\n"),
    info: at("info"),
    success: at("success"),
    warn: at("warn"),
    error: at("error"),
    debug: at("debug"),
    start: at("start"),
  };
}

export const silentLogger: Logger = {
  info() {},
  success() {},
  warn() {},
  error() {},
  debug() {},
  start() {},
};

/** Progress detail (info, start, success) only with --debug; warnings and errors still show. */
export function quietLogger(logger: Logger): Logger {
  return { ...logger, info: logger.debug, start: logger.debug, success: logger.debug };
}
