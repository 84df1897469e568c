import type { DuckmartConfig } from "../core/config-schema.ts";
import { DuckmartError } from "../core/errors.ts";
import { redactWebhookUrl } from "../core/redact.ts";
import type { AlertContent } from "./alert-content.ts";

/**
 * What one channel sends, as plain data: sent here (sendRequest) after a run, or by alert-send-worker.js when the run
 * is interrupted (the signal handler blocks while it sends). Both send exactly this request.
 */
export type ChannelRequest =
  | {
      channel: "webhook";
      url: string;
      body: string;
      timeoutMs: number;
    }
  | {
      channel: "email";
      /** nodemailer's transport options. */
      transport: {
        url: string;
        connectionTimeout: number;
        greetingTimeout: number;
        socketTimeout: number;
        logger: false;
        debug: false;
      };
      message: { from: string; to: string; subject: string; text: string; headers: Record<string, string> };
    };

/** POST the alert's JSON to the webhook (Slack-compatible: `text` plus blocks). */
export function webhookRequest(url: string, alert: AlertContent): ChannelRequest {
  return { channel: "webhook", url, body: JSON.stringify(alert.payload), timeoutMs: 10_000 };
}

/** The alert as a plain-text email through the SMTP server of DUCKMART_SMTP_URL. */
export function emailRequest(config: DuckmartConfig, alert: AlertContent): ChannelRequest {
  const { smtpUrl, alertEmailTo } = config;
  if (!smtpUrl || !alertEmailTo)
    throw new DuckmartError("Email alerts need DUCKMART_SMTP_URL and DUCKMART_ALERT_EMAIL_TO");
  return {
    channel: "email",
    transport: {
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      logger: false,
      debug: false,
    },
    message: {
      from: config.alertEmailFrom,
      to: alertEmailTo,
      subject: alert.subject,
      text: alert.text,
      headers: { "X-Duckmart-Alert": alert.kind },
    },
  };
}

/** A webhook that answered with an error status. */
export function webhookStatusError(url: string, status: number, statusText: string): DuckmartError {
  return new DuckmartError(`[POST] "${redactWebhookUrl(url)}": ${status} ${statusText}`);
}

export async function sendRequest(request: ChannelRequest): Promise<void> {
  if (request.channel === "webhook") {
    const response = await fetch(request.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    if (!response.ok) throw webhookStatusError(request.url, response.status, response.statusText);
    return;
  }
  // Loaded on the first email only: every run imports this module, few send mail (nodemailer costs ~100 ms to load).
  const { createTransport } = await import("nodemailer");
  const transport = createTransport(request.transport);
  try {
    await transport.sendMail(request.message);
  } finally {
    transport.close();
  }
}
