import { readFile } from "node:fs/promises";
import { writeJsonAtomic } from "../core/atomic.ts";
import { utcToday } from "../core/today.ts";
import type { FreshnessReport } from "../core/contracts/freshness.ts";
import { errorMessage } from "../core/errors.ts";
import { hostNotFound } from "../core/host-not-found.ts";
import type { CommandContext } from "../shared-args.ts";
import { freshnessAlert, runAlert, type AlertContent } from "./alert-content.ts";
import { emailRequest, sendRequest, webhookRequest, type ChannelRequest } from "./alert-channels.ts";
import { sendBlocking } from "./alert-now.ts";
import { redactSmtpUrl, redactWebhookUrl } from "../core/redact.ts";
import { redactAlertText } from "./alert-redact.ts";
import type { AlertChannelStatus, AlertsRecord, RunManifest } from "../core/contracts/run-manifest.ts";

/**
 * After a run: a failure alert when it failed; with the digest on (DUCKMART_ALERT_DIGEST, or the deprecated
 * --max-age), a digest of its warnings or an all-clear, at most once a day for the same warnings; nothing else.
 * Sending never throws: failures are logged and counted.
 */
export async function sendRunAlerts(
  context: CommandContext,
  manifest: RunManifest,
  options: { digest?: boolean } = {},
): Promise<AlertsRecord> {
  const alert = runAlert(manifest, context.config, context.config.alertDigest || Boolean(options.digest));
  return deliver(context, alert);
}

/**
 * For a run interrupted by Ctrl-C or SIGTERM, from its signal handler: the failure alert, sent while the handler
 * waits (at most `timeoutMs`, then the run exits whatever was sent). Never throws; failures are logged and counted.
 */
export function sendInterruptedRunAlerts(
  context: CommandContext,
  manifest: RunManifest,
  timeoutMs: number,
): AlertsRecord {
  const alert = runAlert(manifest, context.config, false);
  const { record, channels } = prepare(context, alert);
  if (!alert || !channels.length) return record;
  const outcomes = sendBlocking(
    channels.map((c) => c.request),
    timeoutMs,
  );
  settle(context, alert, channels, outcomes, record);
  return record;
}

/** `duckmart freshness --alert`: alert when a check is past error_after (and digest its warnings when on). */
export async function sendFreshnessAlerts(context: CommandContext, report: FreshnessReport): Promise<AlertsRecord> {
  return deliver(context, freshnessAlert(report, context.config, context.config.alertDigest));
}

interface Channel {
  name: "webhook" | "email";
  /** For error messages: what the URL is, and the config key that sets it. */
  what: string;
  key: string;
  /** The URL, redacted. */
  where: string;
  request: ChannelRequest;
}

async function deliver(context: CommandContext, alert: AlertContent | undefined): Promise<AlertsRecord> {
  const { logger, paths } = context;
  const { record, channels } = prepare(context, alert);
  if (!alert) return record;
  const statePath = paths.state("alert-digest");
  const today = utcToday();
  if (alert.kind === "digest" && (await alreadySent(statePath, today, alert.fingerprint))) {
    logger.info("Alert digest: the same warnings were already sent today; not sending again.");
    return { ...record, kind: "none" };
  }
  const outcomes: (unknown | undefined)[] = [];
  for (const channel of channels)
    outcomes.push(await sendRequest(channel.request).catch((error: unknown) => error ?? "failed"));
  settle(context, alert, channels, outcomes, record);
  if (alert.kind === "digest" && record.sent > 0)
    await writeJsonAtomic(statePath, { day: today, fingerprint: alert.fingerprint });
  return record;
}

/** The configured channels for an alert, and the record of what is sent (nothing yet). */
function prepare(
  context: CommandContext,
  alert: AlertContent | undefined,
): { record: AlertsRecord; channels: Channel[] } {
  const { config } = context;
  const record: AlertsRecord = {
    kind: alert?.kind ?? "none",
    webhook: config.alertWebhook ? "none" : "off",
    email: config.smtpUrl && config.alertEmailTo ? "none" : "off",
    sent: 0,
    failed: 0,
  };
  const channels: Channel[] = [];
  if (!alert) return { record, channels };
  if (config.alertWebhook) {
    const url = config.alertWebhook;
    channels.push({
      name: "webhook",
      what: "the alert webhook",
      key: "alertWebhook",
      where: redactWebhookUrl(url),
      request: webhookRequest(url, alert),
    });
  }
  if (config.smtpUrl && config.alertEmailTo) {
    channels.push({
      name: "email",
      what: "the SMTP server",
      key: "smtpUrl",
      where: redactSmtpUrl(config.smtpUrl),
      request: emailRequest(config, alert),
    });
  }
  return { record, channels };
}

/** Log and count each channel's outcome (undefined: sent; else the error). */
function settle(
  context: CommandContext,
  alert: AlertContent,
  channels: Channel[],
  outcomes: (unknown | undefined)[],
  record: AlertsRecord,
): void {
  const { config, logger } = context;
  channels.forEach((channel, i) => {
    const error = outcomes[i];
    let status: AlertChannelStatus;
    if (error === undefined) {
      status = "sent";
      record.sent++;
      logger.info(`Alert (${alert.kind}) sent by ${channel.name} to ${channel.where}.`);
    } else {
      status = "failed";
      record.failed++;
      // An unresolvable host names the setting to fix (as for the other URLs).
      const unresolved = hostNotFound(error, { what: channel.what, safeUrl: channel.where, key: channel.key });
      const why = unresolved ? `${unresolved.message}. ${unresolved.hint}` : errorMessage(error);
      logger.warn(
        `Could not send the ${alert.kind} alert by ${channel.name} to ${channel.where}: ${redactAlertText(why, config)}`,
      );
    }
    record[channel.name] = status;
  });
}

async function alreadySent(path: string, day: string, fingerprint: string): Promise<boolean> {
  try {
    const state = JSON.parse(await readFile(path, "utf8")) as { day?: string; fingerprint?: string };
    return state.day === day && state.fingerprint === fingerprint;
  } catch {
    return false;
  }
}
