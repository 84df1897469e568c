import { createHash } from "node:crypto";
import type { DuckmartConfig } from "../core/config-schema.ts";
import { describeCheck, type FreshnessReport } from "../core/contracts/freshness.ts";
import type { RunManifest } from "../core/contracts/run-manifest.ts";
import { redactAlertText } from "./alert-redact.ts";

/** One alert, ready for every channel: the email subject and body, and the webhook's JSON. */
export interface AlertContent {
  kind: "failure" | "digest";
  subject: string;
  text: string;
  payload: Record<string, unknown>;
  /** For digests: what the warnings are (not their ages), so the same digest is not sent twice a day. */
  fingerprint: string;
}

const defaultShopNames: Record<string, string> = { sample: "Sample shop", dummyjson: "DummyJSON shop" };

export function shopName(config: DuckmartConfig): string {
  return config.shopName ?? defaultShopNames[config.source] ?? `${config.source} shop`;
}

/** The warnings of a run: warn-severity tests, freshness warnings and schema drift, with a stable key each. */
export function runWarnings(manifest: RunManifest): { key: string; text: string }[] {
  return [
    ...manifest.tests
      .filter((t) => t.status === "warn")
      .map((t) => ({ key: `test:${t.id}`, text: `Data test ${t.id} (warn): ${t.failingRows ?? "?"} failing row(s)` })),
    ...(manifest.freshness?.checks ?? [])
      .filter((c) => c.status === "warn")
      .map((c) => ({ key: `freshness:${c.table}:${c.measure}`, text: `Freshness: ${describeCheck(c)}` })),
    ...manifest.driftWarnings.map((d) => ({
      key: `drift:${d.source}/${d.entity}:${[...d.fields].sort().join(",")}`,
      text: `Schema drift in ${d.source}/${d.entity}: unknown field(s) ${d.fields.join(", ")}`,
    })),
  ];
}

/** What to do about an interrupted run; nothing it was making was published. */
const interruptedHint =
  "A Ctrl-C, a scheduler's timeout or a cancelled CI job (GitHub Actions: timeout-minutes) stops a run with SIGINT or SIGTERM. The build it was making was not published: the last good one stays current. Run it again (`duckmart run`), with more time if a timeout stopped it.";

/**
 * The alert for a finished run: a failure when it failed or was interrupted (Ctrl-C, SIGTERM: it did not finish);
 * a digest of warnings (or an all-clear) when asked; else none.
 */
export function runAlert(manifest: RunManifest, config: DuckmartConfig, digest: boolean): AlertContent | undefined {
  const failed = manifest.steps.find((s) => s.status === "failed");
  const stopped = manifest.status === "interrupted" ? manifest.interrupted : undefined;
  const warnings = runWarnings(manifest);
  if (!failed && !stopped && !digest) return undefined;
  const shop = shopName(config);
  const kind = failed || stopped ? "failure" : "digest";
  const at = stopped
    ? stopped.during === "start"
      ? "before its first step"
      : `at step ${stopped.during}`
    : `at step ${failed?.name}`;
  const subject = stopped
    ? `[${shop}] duckmart run INTERRUPTED ${at} (${stopped.signal})`
    : failed
      ? `[${shop}] duckmart run FAILED ${at}`
      : `[${shop}] duckmart run succeeded: ${warnings.length ? `${warnings.length} warning(s)` : "all clear"}`;
  const hint = stopped ? interruptedHint : failed?.hint;
  const lines = [
    stopped
      ? `duckmart run ${manifest.runId} was interrupted by ${stopped.signal} ${at}: it did not finish.`
      : `duckmart run ${manifest.runId} ${failed ? `failed ${at}` : "succeeded"}.`,
    "",
    `Shop: ${shop} (source ${manifest.source})`,
    `Run: ${manifest.runId}`,
    manifest.buildId ? `Build: ${manifest.buildId}${stopped ? " (not published)" : ""}` : undefined,
    `As of: ${manifest.asOf}`,
    `Status: ${manifest.status}`,
    stopped ? `Interrupted: ${at}, by ${stopped.signal}` : undefined,
    failed ? `Failing step: ${failed.name}` : undefined,
    failed?.error ? `Error: ${failed.error}` : undefined,
    hint ? `Hint: ${hint}` : undefined,
    `Logs: ${manifest.logsUrl ?? "no CI log link (not run in CI); see `duckmart runs " + manifest.runId + "`"}`,
    "",
    "Steps:",
    ...manifest.steps.map((s) => `  ${s.name}: ${s.status}${s.reason ? ` (${s.reason})` : ""}`),
    ...(warnings.length ? ["", `Warnings (${warnings.length}):`, ...warnings.map((w) => `  - ${w.text}`)] : []),
  ].filter((l): l is string => l !== undefined);
  const text = redactAlertText(lines.join("\n"), config);
  const headline = redactAlertText(lines[0]!, config);
  return {
    kind,
    subject: redactAlertText(subject, config),
    text,
    payload: {
      text,
      kind,
      shop,
      run_id: manifest.runId,
      build_id: manifest.buildId ?? null,
      status: manifest.status,
      failing_step: failed?.name ?? null,
      interrupted: stopped ?? null,
      error: failed?.error ? redactAlertText(failed.error, config) : null,
      hint: hint ? redactAlertText(hint, config) : null,
      logs_url: manifest.logsUrl ?? null,
      warnings: warnings.map((w) => redactAlertText(w.text, config)),
      blocks: [{ type: "section", text: { type: "mrkdwn", text: `*${headline}*\n${text}` } }],
    },
    fingerprint: fingerprint(
      stopped ? [`interrupted:${stopped.during}`] : failed ? [`failed:${failed.name}`] : warnings.map((w) => w.key),
    ),
  };
}

/** The alert of a standalone `duckmart freshness --alert`: when a check is past error_after, or a digest of warnings. */
export function freshnessAlert(
  report: FreshnessReport,
  config: DuckmartConfig,
  digest: boolean,
): AlertContent | undefined {
  const flagged = report.checks.filter((c) => c.status === "error" || c.status === "warn");
  if (report.status !== "error" && !(digest && flagged.length)) return undefined;
  const shop = shopName(config);
  const kind = report.status === "error" ? "failure" : "digest";
  const subject = `[${shop}] duckmart freshness ${report.status.toUpperCase()}: ${flagged.map((c) => c.table).join(", ")}`;
  const text = redactAlertText(
    [
      `Freshness check at ${report.checkedAt}: ${report.status}.`,
      "",
      `Shop: ${shop} (source ${config.source})`,
      ...flagged.map((c) => `  - ${c.status.toUpperCase()} ${describeCheck(c)}`),
      "",
      "Hint: run `duckmart run` (or check why the scheduled run stopped); limits are in transforms/sources.yml.",
    ].join("\n"),
    config,
  );
  return {
    kind,
    subject: redactAlertText(subject, config),
    text,
    payload: { text, kind, shop, status: report.status, checks: flagged },
    fingerprint: fingerprint(flagged.map((c) => `freshness:${c.table}:${c.measure}:${c.status}`)),
  };
}

function fingerprint(keys: string[]): string {
  return createHash("sha256")
    .update([...keys].sort().join("\n"))
    .digest("hex")
    .slice(0, 16);
}
