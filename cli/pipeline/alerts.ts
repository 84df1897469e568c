import { readFile } from "node:fs/promises";
import { writeJsonAtomic } from "../core/atomic.ts";
import { utcToday } from "../core/today.ts";
import type { FreshnessReport } from "../core/contracts/freshness.ts";
import { errorMessage } from "../core/errors.ts";
import { hostNotFound } from "../core/host-not-found.ts";
import type { CommandContext } from "../shared-args.ts";
import { freshnessAlert, runAlert, type AlertContent } from "./alert-content.ts";
import { postWebhook, sendEmail } from "./alert-channels.ts";
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
  send: () => Promise<void>;
}

async function deliver(context: CommandContext, alert: AlertContent | undefined): Promise<AlertsRecord> {
  const { config, logger, paths } = context;
  const record: AlertsRecord = {
    kind: alert?.kind ?? "none",
    webhook: config.alertWebhook ? "none" : "off",
    email: config.smtpUrl && config.alertEmailTo ? "none" : "off",
    sent: 0,
    failed: 0,
  };
  if (!alert) return record;
  const statePath = paths.state("alert-digest");
  const today = utcToday();
  if (alert.kind === "digest" && (await alreadySent(statePath, today, alert.fingerprint))) {
    logger.info("Alert digest: the same warnings were already sent today; not sending again.");
    return { ...record, kind: "none" };
  }
  const channels: Channel[] = [];
  if (config.alertWebhook) {
    const url = config.alertWebhook;
    const where = redactWebhookUrl(url);
    channels.push({
      name: "webhook",
      what: "the alert webhook",
      key: "alertWebhook",
      where,
      send: () => postWebhook(url, alert),
    });
  }
  if (config.smtpUrl && config.alertEmailTo) {
    const where = redactSmtpUrl(config.smtpUrl);
    channels.push({
      name: "email",
      what: "the SMTP server",
      key: "smtpUrl",
      where,
      send: () => sendEmail(config, alert),
    });
  }
  for (const channel of channels) {
    let status: AlertChannelStatus;
    try {
      await channel.send();
      status = "sent";
      record.sent++;
      logger.info(`Alert (${alert.kind}) sent by ${channel.name} to ${channel.where}.`);
    } catch (error) {
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
  }
  if (alert.kind === "digest" && record.sent > 0)
    await writeJsonAtomic(statePath, { day: today, fingerprint: alert.fingerprint });
  return record;
}

async function alreadySent(path: string, day: string, fingerprint: string): Promise<boolean> {
  try {
    const state = JSON.parse(await readFile(path, "utf8")) as { day?: string; fingerprint?: string };
    return state.day === day && state.fingerprint === fingerprint;
  } catch {
    return false;
  }
}
