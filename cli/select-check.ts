import { suggestion } from "./core/closest.ts";
import { DuckmartError } from "./core/errors.ts";
import { loadProject } from "../transforms/engine/project.ts";

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
