/**
 * Freshness results: how old each raw table's extraction is (against the clock) and, where the yml names a
 * column, how old its newest event was when it was extracted (against the run's as-of). Written into the run
 * manifest, printed by `duckmart freshness`, shown on the Quality page.
 */
export type FreshnessStatus = "fresh" | "warn" | "error" | "skipped";

export interface FreshnessCheck {
  /** The stable raw name in sources.yml, e.g. raw_orders. */
  table: string;
  source: string;
  entity: string;
  /** extracted: now minus the extraction time; newest_event: the as-of reference minus the newest value of `column`. */
  measure: "extracted" | "newest_event";
  column?: string;
  /** The extraction time or the newest event, ISO. */
  observedAt?: string;
  /** The moment the age is measured at, ISO. */
  referenceAt: string;
  /** newest_event: the as-of day the table was extracted for, YYYY-MM-DD. */
  asOf?: string;
  ageHours?: number;
  warnAfterHours?: number;
  errorAfterHours?: number;
  status: FreshnessStatus;
  /** Why a check is skipped or in error without an age (never extracted, empty table, ...). */
  detail?: string;
}

export interface FreshnessReport {
  checkedAt: string;
  status: FreshnessStatus;
  checks: FreshnessCheck[];
}

const rank: Record<FreshnessStatus, number> = { skipped: 0, fresh: 1, warn: 2, error: 3 };

/** The worst status of a list of checks (fresh when there are none). */
export function worstStatus(checks: Pick<FreshnessCheck, "status">[]): FreshnessStatus {
  return checks.reduce<FreshnessStatus>((w, c) => (rank[c.status] > rank[w] ? c.status : w), "fresh");
}

/** A one-line description of a check, e.g. "raw_orders newest event (ordered_at) is 60.0 h old (error after 48 h)". */
export function describeCheck(check: FreshnessCheck): string {
  const what = check.measure === "extracted" ? "extraction" : `newest event (${check.column})`;
  if (check.ageHours === undefined) return `${check.table} ${what}: ${check.detail ?? check.status}`;
  const limit =
    check.status === "error" ? check.errorAfterHours : check.status === "warn" ? check.warnAfterHours : undefined;
  return `${check.table} ${what} is ${formatHours(check.ageHours)} old${
    limit === undefined ? "" : ` (${check.status === "error" ? "error" : "warn"} after ${formatHours(limit)})`
  }`;
}

/** 0.5 h, 26.0 h, 3.2 d. */
export function formatHours(hours: number): string {
  return hours >= 72 ? `${(hours / 24).toFixed(1)} d` : `${hours.toFixed(1)} h`;
}
