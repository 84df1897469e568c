import { DuckmartError } from "../core/errors.ts";
import { hostNotFound } from "../core/host-not-found.ts";
import type { CommandContext } from "../shared-args.ts";
import { redactWebhookUrl } from "../core/redact.ts";
import type { RunManifest } from "../core/contracts/run-manifest.ts";
import { dataAgeHours } from "./freshness.ts";

/** Slack-compatible message (`text` plus blocks) for a failed or stale run. */
export function alertMessage(manifest: RunManifest, reason: string): Record<string, unknown> {
  const failed = manifest.steps.find((s) => s.status === "failed");
  const lines = [
    `*duckmart run ${manifest.runId} ${manifest.status === "failed" ? "failed" : "needs attention"}*`,
    reason,
    failed ? `Failing step: \`${failed.name}\`` : undefined,
    failed?.error ? `Error: ${failed.error}` : undefined,
    manifest.logsUrl ? `Logs: ${manifest.logsUrl}` : undefined,
  ].filter(Boolean);
  return {
    text: lines.join("\n"),
    run_id: manifest.runId,
    status: manifest.status,
    failing_step: failed?.name ?? null,
    error: failed?.error ?? null,
    logs_url: manifest.logsUrl ?? null,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: lines.join("\n") } }],
  };
}

/** Post an alert when the run failed or its data is older than --max-age; the webhook URL is a secret. */
export async function sendAlerts(context: CommandContext, manifest: RunManifest, maxAgeHours?: number): Promise<void> {
  const { config, logger, paths } = context;
  const reasons: string[] = [];
  if (manifest.status === "failed") reasons.push("The run failed.");
  if (maxAgeHours !== undefined) {
    // The shop source the run built from (the configured one, or the one extracted last).
    const age = await dataAgeHours(paths, manifest.source);
    if (age === undefined || age > maxAgeHours)
      reasons.push(
        `The newest data is ${age === undefined ? "missing" : `${age.toFixed(1)} hours old`} (max age ${maxAgeHours} h).`,
      );
  }
  if (reasons.length === 0 || !config.alertWebhook) return;
  try {
    const response = await fetch(config.alertWebhook, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(alertMessage(manifest, reasons.join(" "))),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok)
      throw new DuckmartError(
        `[POST] "${redactWebhookUrl(config.alertWebhook)}": ${response.status} ${response.statusText}`,
      );
    logger.info("Alert posted to the webhook.");
  } catch (error) {
    const safeUrl = redactWebhookUrl(config.alertWebhook);
    const unresolved = hostNotFound(error, { what: "the alert webhook", safeUrl, key: "alertWebhook" });
    logger.warn(
      unresolved
        ? `Could not post the alert: ${unresolved.message}. ${unresolved.hint}`
        : `Could not post the alert to ${safeUrl}: ${(error as Error).message.replaceAll(config.alertWebhook, "<webhook>")}`,
    );
  }
}
