import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import type { Project } from "./project.ts";

/** sha256 of the project: every model's, snapshot's and macro's SQL, the yml docs and the seed files. */
export async function projectFingerprint(project: Project): Promise<string> {
  const hash = createHash("sha256");
  const files = [
    ...[...project.models.values()].map((m) => m.path),
    ...[...project.seeds.values()].map((s) => s.path),
    ...[...project.snapshots.values()].map((s) => s.path),
    ...[...project.macros.values()].map((m) => m.path),
  ];
  for (const file of files.sort()) hash.update(`${relative(project.dir, file)}\0${await readFile(file)}\0`);
  const docs = {
    models: [...project.models.values()].map((m) => m.doc),
    sources: [...project.sources.values()],
    seeds: [...project.seeds.values()].map((s) => s.doc),
    snapshots: [...project.snapshots.values()].map((s) => s.doc),
    macros: [...project.macros.values()].map((m) => m.doc),
  };
  hash.update(JSON.stringify(docs));
  return hash.digest("hex");
}
