import Stripe from "stripe";
import { DuckmartError } from "../../cli/core/errors.ts";
import { hostNotFound } from "../../cli/core/host-not-found.ts";
import { redactText, redactUrl, registerSecret } from "../../cli/core/redact.ts";

/** The official SDK, pointed at DUCKMART_STRIPE_API_BASE when set (tests use a local server). */
export function stripeClient(apiKey: string, apiBase?: string): Stripe {
  registerSecret(apiKey);
  const base = apiBase ? new URL(apiBase) : undefined;
  return new Stripe(apiKey, {
    maxNetworkRetries: 3,
    timeout: 30_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
          protocol: base.protocol.replace(":", "") as "http" | "https",
        }
      : {}),
  });
}

/** A clear error for a failed Stripe call, with the API key (registered by stripeClient) redacted. */
export function stripeError(error: unknown, entity: string, apiBase?: string): Error {
  if (error instanceof DuckmartError) return error;
  const unresolved = hostNotFound(error, {
    what: apiBase ? "the Stripe API base" : "Stripe's API",
    safeUrl: apiBase ? redactUrl(apiBase) : "https://api.stripe.com",
    key: "stripe.apiBase",
    hint: apiBase
      ? undefined
      : "Check this machine's network and DNS, or point DUCKMART_STRIPE_API_BASE at a Stripe mock.",
  });
  if (unresolved) return unresolved;
  const e = error as { type?: string; statusCode?: number; message?: string; code?: string };
  if (e.type === "StripeAuthenticationError" || e.statusCode === 401) {
    return new DuckmartError(`Stripe rejected the API key (401) while listing ${entity}`, {
      hint: "Check STRIPE_API_KEY: it is set but not valid for this account (test vs live?).",
    });
  }
  if (e.statusCode === 429 || e.type === "StripeRateLimitError") {
    return new DuckmartError(`Stripe kept rate-limiting (429) while listing ${entity}`, {
      transient: true,
      hint: "Try again later; the cursor was not moved, nothing is skipped.",
    });
  }
  const status = e.statusCode ? `${e.statusCode} ` : "";
  return new DuckmartError(`Stripe request for ${entity} failed: ${status}${redactText(e.message ?? String(error))}`, {
    transient: e.type === "StripeConnectionError" || (e.statusCode ?? 0) >= 500,
    hint: "Check DUCKMART_STRIPE_API_BASE and your network; the previous data and cursor are kept.",
  });
}
