import { DuckmartError } from "../../cli/core/errors.ts";
import type { CatalogKeys } from "../../cli/core/contracts/catalog.ts";
import type { ModelDoc } from "./model-schema.ts";
import type { YmlPath } from "./yml-file.ts";

/** A documented node (model, source or seed) and where its entry is, for errors that name the yml line. */
export interface KeyedDoc {
  doc: ModelDoc;
  kind: "model" | "source" | "seed";
  materialized?: "view" | "table";
  at(path: YmlPath): string;
}

const keyHint = 'See "Keys" in the README: primary_key, foreign_keys and sync are declared once, on the model.';

/**
 * Check the declared keys across the project: key columns are documented, a foreign key points at a documented
 * node's primary key (what a Postgres FOREIGN KEY needs), an incremental sync has a key, and no yml test repeats
 * what a key already generates (unique and not_null for a primary key, relationships for a foreign key).
 */
export function checkKeys(docs: Map<string, KeyedDoc>): void {
  const fail = (where: string, message: string): never => {
    throw new DuckmartError(`${where}: ${message}`, { hint: keyHint });
  };
  for (const [name, { doc, at, materialized, kind }] of docs) {
    const documented = new Set(doc.columns.map((c) => c.name));
    (doc.primary_key ?? []).forEach((column, i) => {
      if (!documented.has(column))
        fail(at(["primary_key", i]), `${name}: primary key column "${column}" is not among its documented columns`);
    });
    doc.foreign_keys.forEach((fk, i) => {
      for (const column of fk.columns)
        if (!documented.has(column))
          fail(at(["foreign_keys", i]), `${name}: foreign key column "${column}" is not among its documented columns`);
      const target = docs.get(fk.references.model);
      if (!target) fail(at(["foreign_keys", i]), `${name}: foreign key references unknown "${fk.references.model}"`);
      const targetKey = target?.doc.primary_key ?? [];
      if (targetKey.join(",") !== fk.references.columns.join(","))
        fail(
          at(["foreign_keys", i]),
          `${name}: foreign key references ${fk.references.model}(${fk.references.columns.join(", ")}), which is not the primary key of ${fk.references.model} (${targetKey.join(", ") || "none declared"})`,
        );
    });
    if (doc.sync.mode === "incremental") {
      if (kind !== "model" || materialized !== "table")
        fail(at(["sync"]), `${name}: only table models are synced, so only they take "sync: incremental"`);
      if (!doc.sync.unique_key && !doc.primary_key)
        fail(at(["sync"]), `${name}: an incremental sync upserts on a key; declare primary_key or sync.unique_key`);
    }
    doc.columns.forEach((column, c) => {
      column.tests.forEach((spec, t) => {
        const kind = typeof spec === "string" ? spec : Object.keys(spec)[0];
        const isPk = doc.primary_key?.length === 1 && doc.primary_key[0] === column.name;
        const isFk =
          kind === "relationships" &&
          doc.foreign_keys.some((fk) => fk.columns.length === 1 && fk.columns[0] === column.name);
        if ((isPk && (kind === "unique" || kind === "not_null")) || isFk)
          fail(
            at(["columns", c, "tests", t]),
            `${name}.${column.name}: the ${kind} test repeats the declared ${isFk ? "foreign" : "primary"} key, which generates it; remove the test`,
          );
      });
    });
  }
}

/** The typed keys of a node, as the catalog carries them. */
export function catalogKeys(doc: ModelDoc): CatalogKeys {
  const primaryKey = doc.primary_key ?? [];
  return {
    primaryKey,
    foreignKeys: doc.foreign_keys.map((fk) => ({
      columns: fk.columns,
      references: { model: fk.references.model, columns: fk.references.columns },
    })),
    sync:
      doc.sync.mode === "incremental"
        ? { mode: "incremental", uniqueKey: doc.sync.unique_key ?? primaryKey }
        : { mode: "full" },
  };
}
