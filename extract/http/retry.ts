export interface RetryPolicy {
  maxAttempts: number;
  /** Base delay; attempt n waits a random time in [0, base * 2^n] ("full jitter"), capped. */
  backoffMs: number;
  maxDelayMs?: number;
}

/** Delay before the next attempt: the server's Retry-After wins when it gives one. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfter: string | null,
  random = Math.random,
): number {
  const cap = policy.maxDelayMs ?? 30_000;
  const fromHeader = parseRetryAfter(retryAfter);
  if (fromHeader !== undefined) return Math.min(fromHeader, cap * 2);
  return Math.min(cap, Math.round(random() * policy.backoffMs * 2 ** attempt));
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
