import type { DuckmartConfig } from "../core/config-schema.ts";
import { redactEmails, redactSecrets } from "../core/redact.ts";

/** Alert text: no secret of the config and no email address (customers' or anyone's). */
export function redactAlertText(text: string, config: DuckmartConfig): string {
  return redactEmails(
    redactSecrets(text, [config.databaseUrl, config.stripe.apiKey, config.alertWebhook, config.smtpUrl]),
  );
}
