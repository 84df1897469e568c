/** The outcome of one data test: written to test-results.json, the catalog and the run manifest. */
export type TestKind = "unique" | "not_null" | "accepted_values" | "relationships" | "expression" | "row_count";
export type TestSeverity = "error" | "warn";

export interface TestResult {
  id: string;
  model: string;
  column?: string;
  kind: TestKind;
  severity: TestSeverity;
  description: string;
  status: "pass" | "fail" | "warn" | "error";
  failingRows: number;
  /** A few failing rows; columns tagged `pii` are masked before they get here. */
  samples: Record<string, unknown>[];
  message?: string;
  durationMs: number;
}
