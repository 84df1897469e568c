/** The one redaction module: every log line, error, manifest, Postgres row and site file goes through it. */

/** Never print credentials that a URL may carry. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/key|token|secret|password/i.test(key)) parsed.searchParams.set(key, "***");
    }
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Webhook URLs carry their secret in the path: show only the origin. */
export function redactWebhookUrl(url: string): string {
  try {
    return `${new URL(redactUrl(url)).origin}/***`;
  } catch {
    return "<webhook>";
  }
}
