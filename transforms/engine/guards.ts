import type { BuildModel } from "../../cli/core/contracts/build-manifest.ts";
import type { TestResult } from "../../cli/core/contracts/test-result.ts";
import type { Project } from "./project.ts";

/**
 * Row-count guards, error severity: a mart may not come out empty when the previous build had rows, nor shrink
 * by more than `max_shrink_pct` (default 50) percent, unless its yml says so:
 * `guards: {row_count: {allow_empty: true, max_shrink_pct: 100}}`. No previous build: nothing to compare, pass.
 */
export function rowCountGuards(
  project: Project,
  built: BuildModel[],
  previous: BuildModel[] | undefined,
): TestResult[] {
  const before = new Map((previous ?? []).map((m) => [m.name, m.rowCount]));
  return built.map((model) => {
    const rule = project.models.get(model.name)?.doc.guards.row_count ?? { allow_empty: false, max_shrink_pct: 50 };
    const was = before.get(model.name);
    const now = model.rowCount;
    const floor = was === undefined ? 0 : Math.ceil((was * (100 - rule.max_shrink_pct)) / 100);
    let problem: string | undefined;
    if (was && now === 0 && !rule.allow_empty) problem = `came out empty; the previous build had ${was} rows`;
    else if (was && now < floor)
      problem = `shrank from ${was} to ${now} rows (-${Math.round(((was - now) / was) * 100)}%, limit ${rule.max_shrink_pct}%)`;
    return {
      id: `${model.name}.row_count_guard`,
      model: model.name,
      kind: "row_count",
      severity: "error",
      description: `row count: ${rule.allow_empty ? "may be empty" : "not empty"}, shrinks at most ${rule.max_shrink_pct}% (was ${was ?? "n/a"}, now ${now})`,
      status: problem ? "fail" : "pass",
      failingRows: problem ? 1 : 0,
      samples: problem ? [{ model: model.name, previous_rows: was ?? null, rows: now }] : [],
      ...(problem
        ? {
            message: `${model.name} ${problem}. If that is expected, set guards.row_count in its yml (allow_empty / max_shrink_pct).`,
          }
        : {}),
      durationMs: 0,
    };
  });
}
