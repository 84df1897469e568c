import { envKeys } from "./config-schema.ts";
import { DuckmartError } from "./errors.ts";

const dnsCodes = new Set(["ENOTFOUND", "EAI_AGAIN"]);

/** ENOTFOUND or EAI_AGAIN anywhere in an error's causes (Node, fetch, pg and the Stripe SDK each nest it). */
export function dnsErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const stack = [error];
  while (stack.length) {
    const e = stack.pop();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const { code, cause, detail, errors } = e as {
      code?: unknown;
      cause?: unknown;
      detail?: unknown;
      errors?: unknown;
    };
    if (typeof code === "string" && dnsCodes.has(code)) return code;
    stack.push(cause, detail, ...(Array.isArray(errors) ? errors : []));
  }
  return undefined;
}

/** Where a config key is set: its environment variables, its flag, and the duckmart.config.ts key. */
export function whereSet(key: string, flag?: string): string {
  const vars = Object.entries(envKeys)
    .filter(([, k]) => k === key)
    .map(([name]) => name);
  return [...vars, ...(flag ? [flag] : []), `${key} in duckmart.config.ts`].join(" / ");
}

export interface HostSetting {
  /** What the URL is, e.g. "the DummyJSON URL". */
  what: string;
  /** The URL, already redacted. */
  safeUrl: string;
  /** The config key that sets it, e.g. "dummyjson.url". */
  key: string;
  flag?: string;
  /** Replaces the default "check the host name in ..." advice. */
  hint?: string;
  /** Follows the default advice, e.g. how to do without that host. */
  alternative?: string;
}

/**
 * A clear error when a host name does not resolve: it names the URL and the setting to fix, instead of
 * retrying or suggesting a lower --concurrency. Undefined when the error is something else.
 */
export function hostNotFound(error: unknown, setting: HostSetting): DuckmartError | undefined {
  const code = dnsErrorCode(error);
  if (!code) return undefined;
  let host = setting.safeUrl;
  try {
    host = new URL(setting.safeUrl).hostname;
  } catch {
    // keep the whole (redacted) text
  }
  const temporary = code === "EAI_AGAIN" ? " (a temporary DNS failure: also check this machine's network and DNS)" : "";
  return new DuckmartError(`Cannot resolve the host "${host}" of ${setting.what} ${setting.safeUrl} (${code})`, {
    hint:
      setting.hint ??
      [`Check the host name in ${whereSet(setting.key, setting.flag)}${temporary}.`, setting.alternative]
        .filter(Boolean)
        .join(" "),
    transient: code === "EAI_AGAIN",
  });
}
