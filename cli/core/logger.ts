import { createConsola } from "consola";

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
  return {
    info: (m) => consola.info(m),
    success: (m) => consola.success(m),
    warn: (m) => consola.warn(m),
    error: (m) => consola.error(m),
    debug: (m) => consola.debug(m),
    start: (m) => consola.start(m),
  };
}

export interface LogLine {
  level: keyof Logger;
  message: string;
}

/** A logger that records every line; used by tests and by the run manifest. */
export function captureLogger(): Logger & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: keyof Logger) => (message: string) => void lines.push({ level, message });
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
