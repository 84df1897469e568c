import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import type { Project } from "./project.ts";

/** sha256 of the project: every model's SQL, the yml docs (models, sources, seeds) and the seed files. */
export async function projectFingerprint(project: Project): Promise<string> {
  const hash = createHash("sha256");
  const files = [
    ...[...project.models.values()].map((m) => m.path),
    ...[...project.seeds.values()].map((s) => s.path),
    ...[...project.snapshots.values()].map((s) => s.path),
  ];
  for (const file of files.sort()) hash.update(`${relative(project.dir, file)}\0${await readFile(file)}\0`);
  const docs = {
    models: [...project.models.values()].map((m) => m.doc),
    sources: [...project.sources.values()],
    seeds: [...project.seeds.values()].map((s) => s.doc),
    snapshots: [...project.snapshots.values()].map((s) => s.doc),
  };
  hash.update(JSON.stringify(docs));
  return hash.digest("hex");
}
