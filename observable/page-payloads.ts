import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

export interface PagePayload {
  page: string;
  dataBytes: number;
  files: string[];
}

/**
 * Bytes of data files (not code) each built page fetches, read from the FileAttachment registrations in its HTML
 * (pages in sub-folders included). Category and product pages are links to one page that fetches
 * `_data/<folder>/<id>.json`: each folder counts as one entry with its largest document.
 */
/** Folders of pages that are links to one template page, each fetching its document from `_data/<folder>/`. */
const drillDown = ["categories", "products"];

export async function pagePayloads(dist: string): Promise<PagePayload[]> {
  if (!existsSync(dist)) return [];
  const out: PagePayload[] = [];
  const visit = async (dir: string, prefix: string) => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && !entry.name.startsWith("_") && !drillDown.includes(entry.name))
        await visit(join(dir, entry.name), `${prefix}${entry.name}/`);
      if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
      const html = await readFile(join(dir, entry.name), "utf8");
      const files = [...new Set([...html.matchAll(/"path":"((?:\.\.?\/)*_file\/[^"]+)"/g)].map((m) => m[1]!))];
      let dataBytes = 0;
      for (const file of files) dataBytes += (await stat(join(dir, file))).size;
      out.push({ page: `${prefix}${entry.name}`, dataBytes, files: files.map((f) => f.replace(/^(\.\.?\/)+/, "")) });
    }
  };
  await visit(dist, "");
  for (const folder of drillDown) {
    const dir = join(dist, folder);
    if (!existsSync(dir)) continue;
    const pages = (await readdir(dir)).filter((f) => f.endsWith(".html"));
    const documents = join(dist, "_data", folder);
    let largest = { file: "", bytes: 0 };
    for (const doc of existsSync(documents) ? await readdir(documents) : []) {
      const bytes = (await stat(join(documents, doc))).size;
      if (bytes > largest.bytes) largest = { file: doc, bytes };
    }
    const shared = pages[0] ? await readFile(join(dir, pages[0]), "utf8") : "";
    const files = [...new Set([...shared.matchAll(/"path":"((?:\.\.?\/)*_file\/[^"]+)"/g)].map((m) => m[1]!))];
    let sharedBytes = 0;
    for (const file of files) sharedBytes += (await stat(join(dir, file))).size;
    if (pages.length)
      out.push({
        page: `${folder}/<id>.html (${pages.length} pages; largest: ${largest.file})`,
        dataBytes: sharedBytes + largest.bytes,
        files: [...files.map((f) => f.replace(/^(\.\.?\/)+/, "")), `_data/${folder}/${largest.file}`],
      });
  }
  return out;
}
