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

/** The alert for a finished run: a failure always; a digest of warnings (or an all-clear) when asked; else none. */
export function runAlert(manifest: RunManifest, config: DuckmartConfig, digest: boolean): AlertContent | undefined {
  const failed = manifest.steps.find((s) => s.status === "failed");
  const warnings = runWarnings(manifest);
  if (!failed && !digest) return undefined;
  const shop = shopName(config);
  const subject = failed
    ? `[${shop}] duckmart run FAILED at step ${failed.name}`
    : `[${shop}] duckmart run succeeded: ${warnings.length ? `${warnings.length} warning(s)` : "all clear"}`;
  const lines = [
    `duckmart run ${manifest.runId} ${failed ? "failed" : "succeeded"}${failed ? ` at step ${failed.name}` : ""}.`,
    "",
    `Shop: ${shop} (source ${manifest.source})`,
    `Run: ${manifest.runId}`,
    manifest.buildId ? `Build: ${manifest.buildId}` : undefined,
    `As of: ${manifest.asOf}`,
    `Status: ${manifest.status}`,
    failed ? `Failing step: ${failed.name}` : undefined,
    failed?.error ? `Error: ${failed.error}` : undefined,
    failed?.hint ? `Hint: ${failed.hint}` : undefined,
    `Logs: ${manifest.logsUrl ?? "no CI log link (not run in CI); see `duckmart runs " + manifest.runId + "`"}`,
    "",
    "Steps:",
    ...manifest.steps.map((s) => `  ${s.name}: ${s.status}${s.reason ? ` (${s.reason})` : ""}`),
    ...(warnings.length ? ["", `Warnings (${warnings.length}):`, ...warnings.map((w) => `  - ${w.text}`)] : []),
  ].filter((l): l is string => l !== undefined);
  const text = redactAlertText(lines.join("\n"), config);
  const headline = redactAlertText(lines[0]!, config);
  return {
    kind: failed ? "failure" : "digest",
    subject: redactAlertText(subject, config),
    text,
    payload: {
      text,
      kind: failed ? "failure" : "digest",
      shop,
      run_id: manifest.runId,
      build_id: manifest.buildId ?? null,
      status: manifest.status,
      failing_step: failed?.name ?? null,
      error: failed?.error ? redactAlertText(failed.error, config) : null,
      hint: failed?.hint ? redactAlertText(failed.hint, config) : null,
      logs_url: manifest.logsUrl ?? null,
      warnings: warnings.map((w) => redactAlertText(w.text, config)),
      blocks: [{ type: "section", text: { type: "mrkdwn", text: `*${headline}*\n${text}` } }],
    },
    fingerprint: fingerprint(failed ? [`failed:${failed.name}`] : warnings.map((w) => w.key)),
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
