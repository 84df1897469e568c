import type { ModelDoc, Project } from "./project.ts";

/** What a masked value shows in a failing test's sample rows. */
export const PII_MASK = "<pii>";

/**
 * Column names tagged `pii` in any model, source or seed. A sample row may come from another model than the
 * one declaring the tag (a relationships test shows the child's rows), so a name tagged anywhere is masked
 * everywhere.
 */
export function piiColumnNames(project: Project): string[] {
  const docs: ModelDoc[] = [
    ...[...project.models.values()].map((m) => m.doc),
    ...project.sources.values(),
    ...[...project.seeds.values()].map((s) => s.doc),
  ];
  return [...new Set(docs.flatMap((doc) => doc.columns.filter((c) => c.pii).map((c) => c.name)))];
}

/** Raw payloads spell names their own way: firstName, first_name and FIRST-NAME are one column here. */
const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Sample rows with the pii columns masked (a null stays null: "missing" is not personal). */
export function maskPii(rows: Record<string, unknown>[], piiColumns: readonly string[]): Record<string, unknown>[] {
  if (!piiColumns.length || !rows.length) return rows;
  const pii = new Set(piiColumns.map(normalize));
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, pii.has(normalize(k)) && v !== null ? PII_MASK : v])),
  );
}
