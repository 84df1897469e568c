import { readdir, readFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { DuckmartError } from "../../cli/core/errors.ts";

export const defaultTransformsDir = fileURLToPath(new URL("..", import.meta.url));

const severity = z.enum(["error", "warn"]).default("error");
const testSpec = z.union([
  z.enum(["unique", "not_null"]),
  z.strictObject({ unique: z.strictObject({ severity }).prefault({}) }),
  z.strictObject({ not_null: z.strictObject({ severity }).prefault({}) }),
  z.strictObject({
    accepted_values: z.strictObject({ values: z.array(z.union([z.string(), z.number(), z.boolean()])), severity }),
  }),
  z.strictObject({ relationships: z.strictObject({ to: z.string(), field: z.string(), severity }) }),
  z.strictObject({ expression: z.string(), name: z.string().optional(), severity: severity.optional() }),
]);
export type TestSpec = z.infer<typeof testSpec>;

// Strict: an unknown key is almost always a yml slip (an unquoted comma in a flow mapping splits a description).
const columnDoc = z.strictObject({
  name: z.string(),
  description: z.string().default(""),
  pii: z.boolean().default(false),
  tags: z.array(z.string()).default([]),
  tests: z.array(testSpec).default([]),
});

const modelDoc = z.strictObject({
  name: z.string(),
  description: z.string().default(""),
  materialized: z.enum(["view", "table"]).optional(),
  tags: z.array(z.string()).default([]),
  columns: z.array(columnDoc).default([]),
  tests: z.array(testSpec).default([]),
});
export type ModelDoc = z.infer<typeof modelDoc>;
export type ColumnDoc = z.infer<typeof columnDoc>;

const ymlFile = z.object({
  models: z.array(modelDoc).default([]),
  sources: z.array(modelDoc).default([]),
  seeds: z.array(modelDoc).default([]),
});

export interface Model {
  name: string;
  kind: "model";
  layer: "staging" | "intermediate" | "marts";
  /** Sub-folder under marts, e.g. core or finance. */
  group: string;
  materialized: "view" | "table";
  sql: string;
  path: string;
  doc: ModelDoc;
}

export interface Project {
  dir: string;
  models: Map<string, Model>;
  /** Raw-source docs and tests (sources.yml), by stable raw name. */
  sources: Map<string, ModelDoc>;
  seeds: Map<string, { name: string; path: string; doc: ModelDoc }>;
}

/** Read every model SQL file and the yml beside it, the seeds, and sources.yml. */
export async function loadProject(dir = defaultTransformsDir): Promise<Project> {
  const models = new Map<string, Model>();
  const docs = new Map<string, ModelDoc>();
  const sources = new Map<string, ModelDoc>();
  const seedDocs = new Map<string, ModelDoc>();
  const files = await listFiles(dir);
  for (const file of files.filter((f) => /\.ya?ml$/.test(f))) {
    const parsed = ymlFile.safeParse(parse(await readFile(file, "utf8")) ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DuckmartError(
        `${relative(dir, file)}: invalid model docs at "${issue?.path.join(".")}": ${issue?.message}`,
        {
          hint: 'See "Models and data tests" in the README for the yml format; quote a description that contains a comma.',
        },
      );
    }
    for (const m of parsed.data.models) docs.set(m.name, m);
    for (const s of parsed.data.sources) sources.set(s.name, s);
    for (const s of parsed.data.seeds) seedDocs.set(s.name, s);
  }
  for (const file of files.filter((f) => f.endsWith(".sql"))) {
    const name = basename(file, ".sql");
    const rel = relative(join(dir, "models"), file).split(/[\\/]/);
    const layer = rel[0] as Model["layer"];
    if (!["staging", "intermediate", "marts"].includes(layer)) continue;
    if (models.has(name))
      throw new DuckmartError(`Two models are named "${name}"`, { hint: `Rename ${relative(dir, file)}.` });
    const doc = docs.get(name) ?? modelDoc.parse({ name });
    const materialized = doc.materialized ?? (layer === "marts" ? "table" : "view");
    models.set(name, {
      name,
      kind: "model",
      layer,
      group: layer === "marts" ? (rel[1] ?? "core") : layer,
      materialized,
      sql: await readFile(file, "utf8"),
      path: file,
      doc,
    });
  }
  for (const name of docs.keys()) {
    if (!models.has(name))
      throw new DuckmartError(`The yml documents a model "${name}" that has no SQL file`, {
        hint: "Remove the entry or add the model.",
      });
  }
  const seeds = new Map<string, { name: string; path: string; doc: ModelDoc }>();
  for (const file of files.filter((f) => f.endsWith(".csv") && f.includes(`${join(dir, "seeds")}`))) {
    const name = basename(file, ".csv");
    seeds.set(name, { name, path: file, doc: seedDocs.get(name) ?? modelDoc.parse({ name }) });
  }
  return { dir, models, sources, seeds };
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === "engine" || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out.sort();
}
