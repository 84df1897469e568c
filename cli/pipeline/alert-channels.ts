import type { DuckmartConfig } from "../core/config-schema.ts";
import { DuckmartError } from "../core/errors.ts";
import { redactWebhookUrl } from "../core/redact.ts";
import type { AlertContent } from "./alert-content.ts";

/** POST the alert's JSON to the webhook (Slack-compatible: `text` plus blocks). */
export async function postWebhook(url: string, alert: AlertContent): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(alert.payload),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok)
    throw new DuckmartError(`[POST] "${redactWebhookUrl(url)}": ${response.status} ${response.statusText}`);
}

/** Send the alert as a plain-text email through the SMTP server of DUCKMART_SMTP_URL. */
export async function sendEmail(config: DuckmartConfig, alert: AlertContent): Promise<void> {
  const { smtpUrl, alertEmailTo } = config;
  if (!smtpUrl || !alertEmailTo)
    throw new DuckmartError("Email alerts need DUCKMART_SMTP_URL and DUCKMART_ALERT_EMAIL_TO");
  // Loaded on the first email only: every run imports this module, few send mail (nodemailer costs ~100 ms to load).
  const { createTransport } = await import("nodemailer");
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    logger: false,
    debug: false,
  });
  try {
    await transport.sendMail({
      from: config.alertEmailFrom,
      to: alertEmailTo,
      subject: alert.subject,
      text: alert.text,
      headers: { "X-Duckmart-Alert": alert.kind },
    });
  } finally {
    transport.close();
  }
}
