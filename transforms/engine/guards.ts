import type { BuildModel, RowDropAcceptance } from "../../cli/core/contracts/build-manifest.ts";
import type { Logger } from "../../cli/core/logger.ts";
import type { TestResult } from "../../cli/core/contracts/test-result.ts";
import type { GuardBaseline } from "./guard-baseline.ts";
import type { Project } from "./project.ts";

/** `--accept-row-drop`: the marts whose guard failure this one build accepts, and the command that said so. */
export interface RowDropAccept {
  marts: string[];
  by: string;
  runId?: string;
}

/**
 * Row-count guards, error severity: a mart may not come out empty when the baseline build had rows, nor shrink
 * by more than `max_shrink_pct` (default 50) percent, unless its yml says so:
 * `guards: {row_count: {allow_empty: true, max_shrink_pct: 100}}`. The baseline is a build of the same sources and
 * a comparable as-of (guard-baseline.ts); without one, shrinking is not checked, and without any build of the
 * same sources there is nothing to compare. A mart named in `accept` passes with a warning, recorded in
 * `accepted`.
 */
export function rowCountGuards(
  project: Project,
  built: BuildModel[],
  baseline: GuardBaseline,
  accept?: RowDropAccept,
): { guards: TestResult[]; accepted?: RowDropAcceptance } {
  const before = new Map((baseline.build?.models ?? []).map((m) => [m.name, m.rowCount]));
  const against = baseline.build ? ` vs build ${baseline.build.buildId} as of ${baseline.build.asOf}` : "";
  const accepted: RowDropAcceptance["marts"] = [];
  const guards = built.map((model): TestResult => {
    const rule = project.models.get(model.name)?.doc.guards.row_count ?? { allow_empty: false, max_shrink_pct: 50 };
    const was = before.get(model.name);
    const now = model.rowCount;
    const floor =
      was === undefined || !baseline.record.shrink ? 0 : Math.ceil((was * (100 - rule.max_shrink_pct)) / 100);
    let problem: string | undefined;
    if (was && now === 0 && !rule.allow_empty) problem = `came out empty; the previous build had ${was} rows`;
    else if (was && now < floor)
      problem = `shrank from ${was} to ${now} rows (-${Math.round(((was - now) / was) * 100)}%, limit ${rule.max_shrink_pct}%)`;
    const shrink = baseline.record.shrink ? `shrinks at most ${rule.max_shrink_pct}%` : "shrink not checked";
    const isAccepted = problem !== undefined && accept?.marts.includes(model.name) === true;
    if (isAccepted)
      accepted.push({ model: model.name, previousRows: was!, rows: now, baselineBuildId: baseline.build!.buildId });
    const where = baseline.build ? ` (build ${baseline.build.buildId}, as of ${baseline.build.asOf})` : "";
    return {
      id: `${model.name}.row_count_guard`,
      model: model.name,
      kind: "row_count",
      severity: "error",
      description: `row count: ${rule.allow_empty ? "may be empty" : "not empty"}, ${shrink}${against} (was ${was ?? "n/a"}, now ${now})`,
      status: problem ? (isAccepted ? "warn" : "fail") : "pass",
      failingRows: problem ? 1 : 0,
      samples: problem ? [{ model: model.name, previous_rows: was ?? null, rows: now }] : [],
      ...(problem
        ? {
            message: isAccepted
              ? `${model.name} ${problem}${where}; accepted for this build by ${accept!.by}`
              : `${model.name} ${problem}${where}. If that is expected, accept it for this build only with --accept-row-drop ${model.name} (duckmart transform or run), or for every build with guards.row_count in its yml (allow_empty / max_shrink_pct).`,
          }
        : {}),
      durationMs: 0,
    };
  });
  return {
    guards,
    ...(accepted.length
      ? {
          accepted: {
            by: accept!.by,
            at: new Date().toISOString(),
            ...(accept!.runId ? { runId: accept!.runId } : {}),
            marts: accepted,
          },
        }
      : {}),
  };
}

/** A mart named in `--accept-row-drop` whose guard passed (or that was not built) had nothing to accept: say so. */
export function warnUnusedAccept(logger: Logger, accept: RowDropAccept | undefined, guards: TestResult[]): void {
  const unused = (accept?.marts ?? []).filter((m) => !guards.some((g) => g.model === m && g.status === "warn"));
  if (unused.length)
    logger.warn(
      `--accept-row-drop ${unused.join(", ")}: ${unused.length > 1 ? "their guards" : "its guard"} passed (or the mart was not built), so nothing was accepted`,
    );
}
