import http from "node:http";
import https from "node:https";
import { DuckmartError } from "../../cli/core/errors.ts";
import { hostNotFound, whereSet } from "../../cli/core/host-not-found.ts";
import { redactUrl } from "../../cli/core/redact.ts";
import type { Logger } from "../../cli/core/logger.ts";
import { isRetryableStatus, retryDelayMs, sleep, type RetryPolicy } from "./retry.ts";

export interface HttpClientOptions extends RetryPolicy {
  timeoutMs: number;
  /** Sockets kept alive and shared by all requests of this client. */
  maxSockets: number;
  logger: Logger;
  /** The setting the URLs come from, named when a host does not resolve or keeps failing. */
  urlSetting?: { what: string; key: string; alternative?: string };
}

export interface HttpClient {
  /** The raw body: the caller parses it (possibly on a worker thread). */
  getText(url: string): Promise<string>;
  close(): void;
}

interface RawResponse {
  status: number;
  statusText: string;
  retryAfter: string | null;
  body: string;
}

/** GET over HTTP(S) with one keep-alive agent, a timeout per request, and retries for transient failures. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

  async function getText(url: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      let response: RawResponse;
      try {
        response = await request(url);
      } catch (cause) {
        const setting = options.urlSetting;
        const unresolved = setting && hostNotFound(cause, { ...setting, safeUrl: new URL(redactUrl(url)).origin });
        // A name that does not resolve will not resolve on retry (EAI_AGAIN, a DNS hiccup, is retried).
        if (unresolved && !unresolved.transient) throw unresolved;
        const error =
          unresolved ??
          new DuckmartError(`[GET] "${redactUrl(url)}": ${describeNetworkError(cause)}`, {
            cause,
            transient: true,
            hint: setting && `Check that ${new URL(url).origin} is up and reachable (set by ${whereSet(setting.key)}).`,
          });
        if (attempt + 1 >= options.maxAttempts) throw withAttempts(error, attempt + 1);
        const delay = retryDelayMs(options, attempt, null);
        options.logger.warn(
          `${error.message}; retrying in ${delay} ms (attempt ${attempt + 2}/${options.maxAttempts})`,
        );
        await sleep(delay);
        continue;
      }
      if (response.status >= 200 && response.status < 300) return response.body;
      const error = new DuckmartError(`[GET] "${redactUrl(url)}": ${response.status} ${response.statusText}`, {
        transient: isRetryableStatus(response.status),
        hint: response.status === 404 ? "Check the base URL (DUCKMART_DUMMYJSON_URL)." : undefined,
      });
      if (!error.transient) throw error;
      if (attempt + 1 >= options.maxAttempts) throw withAttempts(error, attempt + 1);
      const delay = retryDelayMs(options, attempt, response.retryAfter);
      options.logger.warn(`${error.message}; retrying in ${delay} ms (attempt ${attempt + 2}/${options.maxAttempts})`);
      await sleep(delay);
    }
  }

  function request(url: string): Promise<RawResponse> {
    const isHttps = url.startsWith("https:");
    const get = isHttps ? https.get : http.get;
    return new Promise((resolve, reject) => {
      const req = get(
        url,
        { agent: isHttps ? agents.https : agents.http, headers: { accept: "application/json" } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? http.STATUS_CODES[res.statusCode ?? 0] ?? "",
              retryAfter: header(res.headers["retry-after"]),
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        },
      );
      req.setTimeout(options.timeoutMs, () => req.destroy(new TimeoutError(options.timeoutMs)));
      req.on("error", reject);
    });
  }

  return {
    getText,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

function describeNetworkError(cause: unknown): string {
  if (cause instanceof TimeoutError) return cause.message;
  const code = (cause as { code?: string }).code;
  return code ? `network error ${code}` : String(cause);
}

function withAttempts(error: DuckmartError, attempts: number): DuckmartError {
  return new DuckmartError(`${error.message} (gave up after ${attempts} attempts)`, {
    cause: error,
    transient: true,
    hint: error.hint ?? "The server kept failing. Try again later, or lower --concurrency.",
  });
}

function header(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}
