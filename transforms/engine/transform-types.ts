import type { DuckDBConnection } from "@duckdb/node-api";
import type { ColumnSpec } from "../../cli/core/contracts/landing.ts";
import type { StageContext } from "../../cli/core/contracts/stage-context.ts";
import type { BuildManifest } from "../../cli/core/contracts/build-manifest.ts";
import type { TestResult } from "./data-tests.ts";
import type { Graph } from "./graph.ts";
import type { RowDropAccept } from "./guards.ts";
import type { Project } from "./project.ts";
import type { RawTable } from "./raw-sources.ts";
import type { ModelResult } from "./runner.ts";

export interface TransformContext extends StageContext {
  /** The models folder (default: transforms/ beside this file). */
  transformsDir?: string;
  /** Columns of each payments entity, so a payments source that never landed reads as an empty, typed table. */
  paymentColumns: Record<string, ColumnSpec[]>;
}

export interface TransformOptions {
  select?: string[];
  /** build: run the models into a new build; attach: use a build's marts (for `duckmart test`, `docs`). */
  mode?: "build" | "attach";
  /** Also run the data tests of the selected models (and of the raw sources when nothing is selected). */
  test?: boolean;
  /**
   * Make the build current once every model built and every error-severity check that ran passed (row-count
   * guards always run in build mode, data tests with `test`). Build mode: default true. Attach mode: only when true.
   */
  promote?: boolean;
  /** attach: the build to use (default: the current one). */
  buildId?: string;
  /** The `duckmart run` this build belongs to. */
  runId?: string;
  /** Replay: build from the raw snapshots that were current on this as-of day (and history as known that day). */
  replayAsOf?: string;
  /** Rebuild the snapshots' history from every retained raw snapshot (older history is kept). */
  fullRefresh?: boolean;
  /** `--accept-row-drop`: these marts may fail their row-count guard in this build (recorded in build.json). */
  acceptRowDrop?: RowDropAccept;
}

export interface TransformSummary {
  asOf: string;
  models: ModelResult[];
  tests: TestResult[];
  durationMs: number;
  /** True when no error-severity test or row-count guard failed. */
  testsPassed: boolean;
  build: BuildManifest;
  /** True when this call made the build current. */
  promoted: boolean;
}

/** One DuckDB session over a build: the project, graph and raw tables it reads. */
export interface Session {
  connection: DuckDBConnection;
  project: Project;
  graph: Graph;
  raw: RawTable[];
  manifest: BuildManifest;
  selected: string[];
  options: TransformOptions;
}
