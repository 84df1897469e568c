import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../cli/core/config.ts";
import { captureLogger } from "../cli/core/logger.ts";
import { DuckmartError, errorMessage } from "../cli/core/errors.ts";
import {
  clearSecrets,
  redactDeep,
  redactText,
  redactUrl,
  redactWebhookUrl,
  registerSecretsFromEnv,
  secretsForChild,
} from "../cli/core/redact.ts";
import { maskPii } from "../transforms/engine/pii.ts";

afterEach(() => clearSecrets());

describe("redactText: forms it cannot know in advance", () => {
  const cases: [string, string, string][] = [
    ["URL userinfo", "connect postgres://u:pa55word@db:5432/x failed", "pa55word"],
    ["userinfo with an @ in it", "postgres://u:p@ss@db/x", "p@ss"],
    ["password= query", "postgres://u@db/x?sslmode=require&password=qpw-1234", "qpw-1234"],
    ["sslpassword= query", "postgres://u@db/x?sslpassword=sslpw-99", "sslpw-99"],
    ["sslkey= query", "postgresql://u@db/x?sslkey=/home/me/.keys/client.key&sslmode=verify-full", "/home/me/.keys"],
    ["api_key query", "GET https://api.example.com/v1?api_key=abc123xyz", "abc123xyz"],
    ["token query", "https://x.test/hook?token=tok-987654", "tok-987654"],
    ["key/value DSN", "host=db port=5432 user=u password=kvpw-77 dbname=x", "kvpw-77"],
    ["key/value DSN, quoted with spaces", "host=db password='two words' dbname=x", "two words"],
    ["key/value DSN, spaces around =", "host = db password = spacedpw1 dbname = x", "spacedpw1"],
    ["DSN sslpassword", 'host=db sslpassword="dq pw" sslkey=/k/client.key', "dq pw"],
    ["JSON", '{"user":"u","password":"jsonpw-42"}', "jsonpw-42"],
    ["Stripe live key", "Invalid API Key provided: sk_live_51AbCdEfGh", "51AbCdEfGh"],
    ["Stripe test key", "key sk_test_51XyZ0123 rejected", "51XyZ0123"],
    ["Stripe restricted key", "rk_live_51Restricted9", "51Restricted9"],
    ["Stripe webhook secret", "whsec_abcdef123456", "abcdef123456"],
    ["Bearer token", "authorization: Bearer eyJhbGciOi.payload.sig", "eyJhbGciOi"],
    ["Slack webhook", "POST https://hooks.slack.com/services/T000/B000/XXXXslack", "XXXXslack"],
    ["SMTP URL", "Could not send via smtps://alerts:smtp-pw9@mail.example.com:465", "smtp-pw9"],
  ];
  it.each(cases)("%s", (_name, text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain("***");
  });

  it("keeps what is not secret: host, port, user, database, plain prose", () => {
    expect(redactText("postgres://u:pw12@db.example.com:5432/shop?sslmode=require")).toBe(
      "postgres://u:***@db.example.com:5432/shop?sslmode=require",
    );
    expect(redactText("host=db user=shop password=x1y2 dbname=shop")).toBe(
      "host=db user=shop password=*** dbname=shop",
    );
    const prose = 'Postgres rejected the password for user "shop" at db:5432 (see https://example.com/docs?page=2)';
    expect(redactText(prose)).toBe(prose);
    // zod's message for a typo in a yml key must keep the typo visible.
    const zod = 'sources.yml:45: sources[3] (raw_orders).freshness: Unrecognized key: "warn_afer"';
    expect(redactText(zod)).toBe(zod);
    expect(redactText('{"api_key": "abc123xyz"}')).toBe('{"api_key": "***"}');
  });
});

describe("the registry of configured secrets", () => {
  it("collects every secret of the loaded config and replaces it anywhere, in any form", async () => {
    await loadConfig({
      env: {
        DATABASE_URL: "postgres://shop:db%2Fpw%21x@db:5432/shop?sslkey=/etc/keys/shop.key",
        STRIPE_API_KEY: "sk_live_configuredStripe1",
        DUCKMART_ALERT_WEBHOOK: "https://alerts.example.com/in/hookTokenABCDEF123",
        DUCKMART_SMTP_URL: "smtps://alerts:smtpSecret77@mail.example.com:465",
      },
      cwd: "/nonexistent",
    });
    // A driver's message quotes the bare values, with nothing around them that a pattern could spot.
    const text = [
      "password db/pw!x was rejected, encoded db%2Fpw%21x",
      "could not open /etc/keys/shop.key",
      "key configuredStripe1 sk_live_configuredStripe1",
      "POST https://alerts.example.com/in/hookTokenABCDEF123 failed; token hookTokenABCDEF123",
    ].join("\n");
    const out = redactText(text);
    for (const secret of ["db/pw!x", "db%2Fpw%21x", "/etc/keys/shop.key", "configuredStripe1", "hookTokenABCDEF123"])
      expect(out).not.toContain(secret);
    expect(out).toContain("https://alerts.example.com/***");
    // The SMTP URL is masked by its pattern whichever engineer's config key carries it.
    expect(redactText("smtps://alerts:smtpSecret77@mail.example.com:465")).not.toContain("smtpSecret77");
  });

  it("registers secrets of a config that fails validation too", async () => {
    await expect(
      loadConfig({ env: { STRIPE_API_KEY: "sk_live_rejected9", DUCKMART_SCALE: "-1" }, cwd: "/nonexistent" }),
    ).rejects.toThrow(/scale/);
    expect(redactText("value rejected9")).toBe("value ***");
  });

  it("reaches a child process through its environment", () => {
    registerSecretsFromEnv({});
    const env = secretsForChild();
    expect(env).toEqual({});
    registerSecretsFromEnv({ DUCKMART_REDACT: JSON.stringify([["childSecret1", "***"]]) });
    expect(redactText("a childSecret1 b")).toBe("a *** b");
    const passed = secretsForChild();
    clearSecrets();
    registerSecretsFromEnv(passed);
    expect(redactText("a childSecret1 b")).toBe("a *** b");
  });
});

describe("every way out goes through it", () => {
  it("logger lines, DuckmartError messages and hints, error messages", async () => {
    await loadConfig({ env: { DATABASE_URL: "postgres://u:loggerSecret1@db/x" }, cwd: "/nonexistent" });
    const logger = captureLogger();
    logger.error("failed: password loggerSecret1");
    expect(logger.text()).not.toContain("loggerSecret1");
    const error = new DuckmartError("bad loggerSecret1", { hint: "try loggerSecret1" });
    expect(error.message + error.hint).not.toContain("loggerSecret1");
    expect(errorMessage(new Error("pg: loggerSecret1"))).toBe("pg: ***");
  });

  it("redactDeep copies objects and arrays, redacting every string", () => {
    const manifest = { steps: [{ error: "postgres://u:deepPw1@db/x", rows: 3, at: null }], ok: true };
    const out = redactDeep(manifest);
    expect(out).toEqual({ steps: [{ error: "postgres://u:***@db/x", rows: 3, at: null }], ok: true });
    expect(manifest.steps[0]!.error).toContain("deepPw1");
  });

  it("redactUrl masks the password and secret parameters; redactWebhookUrl keeps only the origin", () => {
    expect(redactUrl("postgres://u:pw99@db:5432/x?sslpassword=a1b2&sslmode=require")).toBe(
      "postgres://u:***@db:5432/x?sslpassword=***&sslmode=require",
    );
    expect(redactUrl("host=db password=kv12")).toBe("host=db password=***");
    expect(redactWebhookUrl("https://hooks.example.com/T1/B2/secret")).toBe("https://hooks.example.com/***");
  });
});

describe("maskPii", () => {
  it("masks the pii columns of sample rows, keeps the others and nulls", () => {
    const rows = [
      { user_id: 1, email: "ada@example.test", phone: null, city: "Austin" },
      { user_id: 2, email: "bob@example.test", phone: "+1 555", city: "Dallas" },
    ];
    expect(maskPii(rows, ["email", "phone"])).toEqual([
      { user_id: 1, email: "<pii>", phone: null, city: "Austin" },
      { user_id: 2, email: "<pii>", phone: "<pii>", city: "Dallas" },
    ]);
  });
});
