import type { EntityDef } from "../source.ts";

/**
 * How a source's raw API pages are parsed: the generic landing code knows no source. `module` is the URL of a
 * module exporting this object as `pageFormat`, so the validation worker thread can load it too.
 */
export interface PageFormat {
  module: string;
  entities: EntityDef[];
  parse(url: string, entity: string, text: string): { total: number; records: unknown[] };
}
