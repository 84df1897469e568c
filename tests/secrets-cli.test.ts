// @module-tag postgres
// @module-tag e2e
// Secrets and personal data never leak: each form of secret goes through the real CLI, then stdout, stderr,
// the whole data dir, a site built into a temporary dir and the duckmart tables in Postgres are searched.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "./helpers/cli.ts";
import { pgSchema, pgUrl } from "./helpers/mart-fixtures.ts";
import { noPostgres } from "./helpers/services.ts";
import { order, product, user, writeOrders, writeRaw } from "./helpers/raw-fixtures.ts";
import { startFakeStripe, TEST_KEY } from "./helpers/stripe-server.ts";
import { testLake, type TestLake } from "./helpers/test-lake.ts";

const secret = {
  userinfo: "UiPw-Zq91x",
  password: "QpPw-Zq92x",
  sslpassword: "SslPw-Zq93x",
  sslkey: "SslKey-Zq94x",
  dsn: "KvPw Zq95x",
  webhook: "HookTok-Zq96x",
  smtp: "SmtpPw-Zq97x",
  stripe: "sk_live_StripeZq98x",
  stripeOk: TEST_KEY,
};
const unreachable = "127.0.0.1:5999";

/** Every file under `dir`, as [path, text] (binary files too: a secret must not be in them either). */
async function filesUnder(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const path = join(e.parentPath, e.name);
        return [path, await readFile(path, "latin1")] as [string, string];
      }),
  );
}

function leaks(haystacks: [string, string][], needles: string[]): string[] {
  const forms = (s: string) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)];
  return haystacks.flatMap(([where, text]) =>
    needles.filter((n) => forms(n).some((f) => text.includes(f))).map((n) => `${n} in ${where}`),
  );
}

describe.skipIf(noPostgres)("secrets never leak", () => {
  let lake: TestLake;
  let db: Awaited<ReturnType<typeof pgSchema>>;
  let stripe: Awaited<ReturnType<typeof startFakeStripe>>;
  let siteDir: string;
  const outputs: [string, string][] = [];
  const cli = async (label: string, args: string[], env: Record<string, string>): Promise<CliResult> => {
    const asOf = args[0] === "run" ? ["--as-of", "2026-11-24"] : [];
    const result = await runCli([...args, "--data-dir", lake.dir, ...asOf], {
      // Alerts on every failure: the webhook token and the SMTP password are in every run's config.
      DUCKMART_ALERT_WEBHOOK: `http://127.0.0.1:5998/hooks/${secret.webhook}`,
      DUCKMART_SMTP_URL: `smtp://alerts:${secret.smtp}@127.0.0.1:5997`,
      ...env,
    });
    outputs.push([`${label} stdout`, result.stdout], [`${label} stderr`, result.stderr]);
    return result;
  };
  const withSecret = (edit: (url: URL) => void) => {
    const url = new URL(pgUrl);
    edit(url);
    return url.toString();
  };

  beforeAll(async () => {
    lake = await testLake();
    db = await pgSchema("secrets");
    stripe = await startFakeStripe();
    siteDir = await mkdtemp(join(tmpdir(), "duckmart-site-"));
  }, 60_000);
  afterAll(async () => {
    await stripe?.close();
    await db?.drop();
    await lake?.cleanup();
    await rm(siteDir, { recursive: true, force: true });
  });

  it("fails with a clear error and no secret, for every form of the database URL", async () => {
    expect((await cli("build", ["run", "--skip", "site"], {})).code).toBe(0);
    const forms: [string, string, RegExp][] = [
      ["userinfo", `postgres://u:${secret.userinfo}@${unreachable}/db`, /Cannot reach Postgres at 127.0.0.1:5999/],
      ["password=", `postgres://u@${unreachable}/db?password=${secret.password}`, /Cannot reach Postgres/],
      ["sslpassword=", `postgres://u@${unreachable}/db?sslpassword=${secret.sslpassword}`, /Cannot reach Postgres/],
      ["sslkey=", `postgres://u@${unreachable}/db?sslkey=/tmp/${secret.sslkey}/client.key`, /Could not connect/],
      ["key/value DSN", `host=127.0.0.1 port=5999 password='${secret.dsn}'`, /Invalid config "databaseUrl"/],
    ];
    for (const [label, url, message] of forms) {
      const result = await cli(label, ["run", "--only", "sync", "--debug"], { DATABASE_URL: url });
      expect(result.code, label).not.toBe(0);
      expect(result.stderr, label).toMatch(message);
    }
    // sync --debug prints the driver's cause under the error (it printed "Caused by: [object Object]"), redacted.
    const debug = await cli("sync --debug", ["sync", "--debug"], {
      DATABASE_URL: `postgres://u:${secret.userinfo}@${unreachable}/db`,
    });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain(`Cannot reach Postgres at ${unreachable} (connection refused)`);
    expect(debug.stderr).toContain(`\nCaused by: ECONNREFUSED: connect ECONNREFUSED ${unreachable}`);
    expect(debug.stderr).not.toContain("[object Object]");
    // The manifests record the failures, redacted.
    const runs = await filesUnder(lake.paths.runsDir);
    const errors = runs.map(
      ([, text]) => JSON.parse(text).steps.find((s: { name: string }) => s.name === "sync")?.error,
    );
    expect(errors.join("\n")).toMatch(/Cannot reach Postgres at 127\.0\.0\.1:5999 .*password=\*\*\*/);
  });

  it("keeps a rejected Stripe key out of the error and the stack the API echoes it in", async () => {
    const result = await cli("stripe", ["run", "--only", "extract", "--debug"], {
      STRIPE_API_KEY: secret.stripe,
      DUCKMART_STRIPE_API_BASE: stripe.url,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Stripe rejected the API key \(401\)/);
  });

  it("succeeds against the real Postgres with the password in the URL, and writes no secret there", async () => {
    for (const url of [
      withSecret((u) => (u.password = secret.userinfo)),
      withSecret((u) => u.searchParams.set("password", secret.password)),
    ]) {
      const result = await cli("sync ok", ["run", "--skip", "site", "--schema", db.schema], {
        DATABASE_URL: url,
        STRIPE_API_KEY: secret.stripeOk,
        DUCKMART_STRIPE_API_BASE: stripe.url,
      });
      expect(result.code, result.stderr).toBe(0);
    }
    const rows: [string, string][] = [];
    for (const table of ["duckmart_runs", "duckmart_sync_state"]) {
      const { rows: found } = await db.client.query(
        `select row_to_json(t)::text as row from "${db.schema}".${table} t`,
      );
      expect(found.length, table).toBeGreaterThan(0);
      rows.push(...found.map((r, i): [string, string] => [`${table} row ${i}`, r.row as string]));
    }
    // Run history holds the earlier failed runs too, with their (redacted) connection errors.
    expect(rows.map(([, r]) => r).join("\n")).toMatch(/Cannot reach Postgres at 127\.0\.0\.1:5999/);
    expect(leaks(rows, Object.values(secret))).toEqual([]);
  });

  it("builds a public site, into a temporary dir, with no secret in it", async () => {
    const result = await cli("site", ["site", "build"], { DUCKMART_SITE_DIR: siteDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Built the site in ${siteDir}`);
    const site = await filesUnder(siteDir);
    const quality = site.filter(([path]) => /quality\.[0-9a-f]+\.json$/.test(path));
    expect(quality).toHaveLength(1);
    // The failed runs are on the quality page (their errors were redacted when written).
    expect(quality[0]![1]).toContain(`"status":"failed"`);
    expect(leaks(site, Object.values(secret))).toEqual([]);
  }, 240_000);

  it("leaves no secret in stdout, stderr or any file of the data dir", async () => {
    expect(outputs.length).toBeGreaterThan(10);
    expect(leaks([...outputs, ...(await filesUnder(lake.dir))], Object.values(secret))).toEqual([]);
  });
});

describe("personal data stays out of logs", () => {
  const person = {
    email: "ada.lovelace@private.test",
    phone: "+44 20 7946 0958",
    firstName: "Adaline",
    lastName: "Lovelacey",
    street: "12 Analytical Engine Lane",
  };

  it("masks the pii columns of a failing test's sample rows, on stdout, stderr and in every file", async () => {
    const lake = await testLake();
    try {
      await writeRaw(lake, "products", [product(1, 10, "alpha")]);
      // A user without an id fails stg_users.user_id's not_null test, whose samples are whole rows.
      await writeRaw(lake, "users", [
        user(1, "Austin", "Texas", "TX"),
        {
          ...user(2, "Austin", "Texas", "TX"),
          id: null,
          email: person.email,
          phone: person.phone,
          firstName: person.firstName,
          lastName: person.lastName,
          address: { ...user(2, "Austin", "Texas", "TX").address, address: person.street },
        },
      ]);
      await writeRaw(lake, "carts", []);
      await writeOrders(lake, [order(7, 1, "2026-11-20T10:00:00", "completed", [[1, 10, 1, 0]])]);
      const result = await runCli(["run", "--data-dir", lake.dir, "--skip", "extract,site"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Failed: not_null on stg_users\.user_id/);
      expect(result.stderr).toContain("<pii>");
      // Wherever the build layout puts it (the current build's folder).
      const files = await filesUnder(lake.dir);
      const resultsFile = files.find(([path]) => path.endsWith("test-results.json"));
      expect(resultsFile).toBeDefined();
      const results = JSON.parse(resultsFile![1]) as {
        results: { id: string; samples: Record<string, unknown>[] }[];
      };
      const failed = results.results.find((r) => r.id === "stg_users.user_id.not_null");
      expect(failed?.samples[0]).toMatchObject({ email: "<pii>", phone: "<pii>", first_name: "<pii>", city: "Austin" });
      const haystacks: [string, string][] = [
        ["stdout", result.stdout],
        ["stderr", result.stderr],
        ...files.filter(([path]) => path.endsWith(".json")),
      ];
      // display_name ("Adaline L.") is the mart's designed-safe name, so the first name alone is not searched.
      const { firstName: _shown, ...hidden } = person;
      expect(leaks(haystacks, Object.values(hidden))).toEqual([]);
    } finally {
      await lake.cleanup();
    }
  });
});
