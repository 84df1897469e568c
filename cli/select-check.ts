import { suggestion } from "./core/closest.ts";
import { DuckmartError } from "./core/errors.ts";
import { loadProject } from "../transforms/engine/project.ts";
import { splitList } from "./flag-values.ts";

/** `--select` names models that exist (checked before `duckmart run` lands anything). */
export async function checkSelectors(selectors: string[]): Promise<void> {
  const models = [...(await loadProject()).models.keys()];
  for (const selector of selectors) {
    const name = selector.replace(/^\+/, "").replace(/\+$/, "");
    if (!models.includes(name))
      throw new DuckmartError(`--select: no model named "${name}": ${suggestion(name, models)}`, {
        hint: "Fix --select; models are the .sql files under transforms/models.",
        exitCode: 2,
      });
  }
}

/**
 * `--accept-row-drop a,b`: the marts it names, checked to be marts (the models the row-count guards check) before
 * anything lands or builds. Absent: undefined; given without a mart: exit 2.
 */
export async function acceptRowDropFlag(value: unknown): Promise<string[] | undefined> {
  if (value === undefined || value === false) return undefined;
  const marts = splitList(value);
  const tables = [...(await loadProject()).models.values()]
    .filter((m) => m.materialized === "table")
    .map((m) => m.name);
  const hint =
    "Name the marts whose row-count guard failed, as the failure lists them (e.g. --accept-row-drop daily_revenue).";
  if (!marts?.length)
    throw new DuckmartError("--accept-row-drop needs the marts it accepts, comma-separated", { hint, exitCode: 2 });
  for (const name of marts) {
    if (!tables.includes(name))
      throw new DuckmartError(`--accept-row-drop: no mart named "${name}": ${suggestion(name, tables)}`, {
        hint,
        exitCode: 2,
      });
  }
  return marts;
}
