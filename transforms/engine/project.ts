import { readdir, readFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckmartError } from "../../cli/core/errors.ts";
import { checkKeys, type KeyedDoc } from "./model-keys.ts";
import { loadMacros, type Macro } from "./macros.ts";
import { modelDoc, ymlFile, type MacroDoc, type ModelDoc, type SnapshotDoc, type SourceDoc } from "./model-schema.ts";
import { readYmlFile, type YmlPath } from "./yml-file.ts";

export type { ColumnDoc, ModelDoc, SnapshotDoc, SourceDoc, TestSpec } from "./model-schema.ts";

/** A snapshot: its SQL (transforms/snapshots/<name>.sql) and its yml entry. */
export interface Snapshot {
  name: string;
  sql: string;
  path: string;
  doc: SnapshotDoc;
}

export const defaultTransformsDir = fileURLToPath(new URL("..", import.meta.url));

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
  sources: Map<string, SourceDoc>;
  seeds: Map<string, { name: string; path: string; doc: ModelDoc }>;
  /** SCD2 snapshots (transforms/snapshots/), by name. */
  snapshots: Map<string, Snapshot>;
  /** DuckDB macros the models share (transforms/macros/), by name. */
  macros: Map<string, Macro>;
}

/** Read every model SQL file and the yml beside it, the seeds, and sources.yml. */
export async function loadProject(dir = defaultTransformsDir): Promise<Project> {
  const models = new Map<string, Model>();
  const docs = new Map<string, ModelDoc>();
  const sources = new Map<string, SourceDoc>();
  const seedDocs = new Map<string, ModelDoc>();
  const snapshotDocs = new Map<string, SnapshotDoc>();
  const macroDocs = new Map<string, MacroDoc>();
  const where = new Map<ModelDoc, (path: YmlPath) => string>();
  const files = await listFiles(dir);
  for (const file of files.filter((f) => /\.ya?ml$/.test(f))) {
    const { data, at } = await readYmlFile(file, relative(dir, file), ymlFile);
    data.macros.forEach((entry, i) => {
      if (macroDocs.has(entry.name))
        throw new DuckmartError(`${at(["macros", i])}: macro "${entry.name}" is documented twice`, {
          hint: "Keep one entry per macro.",
        });
      macroDocs.set(entry.name, entry);
    });
    const sections = [
      ["models", data.models, docs],
      ["sources", data.sources, sources],
      ["seeds", data.seeds, seedDocs],
      ["snapshots", data.snapshots, snapshotDocs],
    ] as const;
    for (const [section, entries, into] of sections) {
      entries.forEach((entry, i) => {
        if ([docs, sources, seedDocs, snapshotDocs].some((m) => m.has(entry.name)))
          throw new DuckmartError(`${at([section, i])}: "${entry.name}" is documented twice`, {
            hint: "Keep one entry per model, source and seed.",
          });
        (into as Map<string, typeof entry>).set(entry.name, entry);
        where.set(entry, (path) => at([section, i, ...path]));
      });
    }
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
  const snapshots = await loadSnapshots(dir, files, snapshotDocs);
  const macros = await loadMacros(dir, files, macroDocs);
  const keyed = new Map<string, KeyedDoc>();
  const located = (doc: ModelDoc) => where.get(doc) ?? (() => "(no yml)");
  for (const [name, doc] of sources) keyed.set(name, { doc, kind: "source", at: located(doc) });
  for (const [name, seed] of seeds) keyed.set(name, { doc: seed.doc, kind: "seed", at: located(seed.doc) });
  for (const [name, model] of models)
    keyed.set(name, { doc: model.doc, kind: "model", materialized: model.materialized, at: located(model.doc) });
  for (const [name, snapshot] of snapshots)
    keyed.set(name, { doc: snapshot.doc, kind: "source", at: located(snapshot.doc) });
  checkKeys(keyed);
  return { dir, models, sources, seeds, snapshots, macros };
}

/** transforms/snapshots/<name>.sql, each documented in a yml `snapshots:` entry (and the other way round). */
async function loadSnapshots(
  dir: string,
  files: string[],
  docs: Map<string, SnapshotDoc>,
): Promise<Map<string, Snapshot>> {
  const snapshots = new Map<string, Snapshot>();
  for (const file of files.filter((f) => f.endsWith(".sql") && relative(dir, f).split(/[\\/]/)[0] === "snapshots")) {
    const name = basename(file, ".sql");
    const doc = docs.get(name);
    if (!doc)
      throw new DuckmartError(`Snapshot ${relative(dir, file)} has no yml entry`, {
        hint: `Declare it under "snapshots:" in a yml beside it, with unique_key and a strategy (check_cols or updated_at).`,
      });
    snapshots.set(name, { name, sql: await readFile(file, "utf8"), path: file, doc });
  }
  for (const name of docs.keys())
    if (!snapshots.has(name))
      throw new DuckmartError(`The yml declares a snapshot "${name}" that has no SQL file`, {
        hint: `Add transforms/snapshots/${name}.sql or remove the entry.`,
      });
  return snapshots;
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
