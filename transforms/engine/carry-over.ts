import { existsSync } from "node:fs";
import type { BuildLayout, BuildManifest } from "../../cli/core/contracts/build-manifest.ts";
import type { Graph } from "./graph.ts";
import type { Project } from "./project.ts";

/** What a new build reads, to compare with the build a mart would be carried over from. */
export type BuildReads = Pick<BuildManifest, "shopSource" | "paymentsSource" | "asOf" | "inputs" | "history">;

/**
 * The unselected marts (`--select`) that may not be carried over from the current build, each with why: a mart is
 * carried over only from a build of the same shop and payments sources and the same as-of, whose raw snapshots and
 * snapshot history it reads (directly or through other models) are the ones this build reads. Anything else would
 * publish one source's or one day's marts next to another's, so those marts are built too.
 */
export function staleCarryOvers(
  project: Project,
  graph: Graph,
  unselected: string[],
  previous: BuildManifest,
  base: BuildLayout,
  next: BuildReads,
): Map<string, string> {
  const stale = new Map<string, string>();
  const from = `build ${previous.buildId}`;
  const sources = (m: BuildReads) => `shop ${m.shopSource}, payments ${m.paymentsSource}`;
  const everything =
    sources(previous) !== sources(next)
      ? `${from} read ${sources(previous)}; this build reads ${sources(next)}`
      : previous.asOf !== next.asOf
        ? `${from} is as of ${previous.asOf}; this build is as of ${next.asOf}`
        : undefined;
  for (const name of unselected) {
    const reason = everything ?? staleInput(name);
    if (reason) stale.set(name, reason);
  }
  return stale;

  function staleInput(name: string): string | undefined {
    if (!previous.models.some((m) => m.name === name) || !existsSync(base.mart(name)))
      return `${from} has no ${name} mart`;
    for (const dep of upstream(graph, name)) {
      if (project.snapshots.has(dep)) {
        const before = previous.history?.find((h) => h.snapshot === dep);
        const now = next.history?.find((h) => h.snapshot === dep);
        if (!before || !now || now.status === "applied" || before.rowCount !== now.rowCount)
          return `its snapshot ${dep} has changed since ${from}`;
        continue;
      }
      const now = next.inputs.find((i) => i.name === dep);
      if (!now) continue; // a model or a seed
      const before = previous.inputs.find((i) => i.name === dep);
      if (before?.source !== now.source || before.snapshot !== now.snapshot)
        return `${from} read ${dep} from ${describe(before)}; this build reads ${describe(now)}`;
    }
    return undefined;
  }
}

function describe(input: BuildManifest["inputs"][number] | undefined): string {
  if (!input) return "nothing";
  return input.snapshot ? `${input.source} ${input.snapshot}` : `${input.source} (not landed)`;
}

/** Everything a model reads, directly or through other models: models, seeds, snapshots and raw tables. */
function upstream(graph: Graph, name: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.deps.get(name) ?? [])];
  while (stack.length) {
    const dep = stack.pop()!;
    if (seen.has(dep)) continue;
    seen.add(dep);
    stack.push(...(graph.deps.get(dep) ?? []));
  }
  return seen;
}
