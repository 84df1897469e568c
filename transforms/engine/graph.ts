import type { DuckDBConnection } from "@duckdb/node-api";
import { DuckmartError } from "../../cli/core/errors.ts";
import { referencedTables } from "./dependencies.ts";
import type { Project } from "./project.ts";

export interface Graph {
  /** Model name -> the models, seeds and raw tables it reads. */
  deps: Map<string, string[]>;
  /** Models in an order where every model comes after what it reads. */
  order: string[];
}

/** Dependencies come from the SQL itself; an unknown reference or a cycle is an error naming both ends. */
export async function buildGraph(connection: DuckDBConnection, project: Project, rawNames: string[]): Promise<Graph> {
  const known = new Set([...project.models.keys(), ...project.seeds.keys(), ...project.snapshots.keys(), ...rawNames]);
  const deps = new Map<string, string[]>();
  for (const model of project.models.values()) {
    const refs = await referencedTables(connection, model.sql, model.name);
    for (const ref of refs) {
      if (!known.has(ref)) {
        throw new DuckmartError(`Model "${model.name}" references unknown table "${ref}"`, {
          hint: `Reference another model, a seed (${[...project.seeds.keys()].join(", ") || "none"}), a snapshot (${[...project.snapshots.keys()].join(", ") || "none"}) or a raw table (${rawNames.join(", ")}).`,
        });
      }
    }
    deps.set(model.name, refs);
  }
  return { deps, order: topologicalOrder(deps, project) };
}

function topologicalOrder(deps: Map<string, string[]>, project: Project): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    if (!project.models.has(name) || state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new DuckmartError(`Model "${name}" is part of a cycle: ${cycle.join(" -> ")}`, {
        hint: `Break the cycle: "${cycle.at(-2)}" must not read "${name}".`,
      });
    }
    state.set(name, "visiting");
    for (const dep of deps.get(name) ?? []) visit(dep, [...path, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of [...project.models.keys()].sort()) visit(name, []);
  return order;
}

/**
 * Selection: `model`, `model+` (and everything downstream), `+model` (and everything upstream), `+model+`.
 * Returns the selected models in run order; no selectors selects everything.
 */
export function selectModels(graph: Graph, selectors: string[] | undefined): string[] {
  if (!selectors?.length) return graph.order;
  const downstream = new Map<string, string[]>();
  for (const [model, refs] of graph.deps)
    for (const ref of refs) downstream.set(ref, [...(downstream.get(ref) ?? []), model]);
  const selected = new Set<string>();
  const closure = (start: string, edges: (n: string) => string[]) => {
    const stack = [start];
    while (stack.length) {
      const node = stack.pop()!;
      for (const next of edges(node)) {
        if (graph.deps.has(next) && !selected.has(next)) {
          selected.add(next);
          stack.push(next);
        }
      }
    }
  };
  for (const raw of selectors) {
    const name = raw.replace(/^\+/, "").replace(/\+$/, "");
    if (!graph.deps.has(name))
      throw new DuckmartError(`--select: no model named "${name}"`, {
        hint: `Models: ${graph.order.join(", ")}`,
        exitCode: 2,
      });
    selected.add(name);
    if (raw.startsWith("+")) closure(name, (n) => graph.deps.get(n) ?? []);
    if (raw.endsWith("+")) closure(name, (n) => downstream.get(n) ?? []);
  }
  return graph.order.filter((m) => selected.has(m));
}
