import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

export interface PagePayload {
  page: string;
  dataBytes: number;
  files: string[];
}

/** Bytes of data files (not code) each built page fetches, read from the FileAttachment registrations in its HTML. */
export async function pagePayloads(dist: string): Promise<PagePayload[]> {
  if (!existsSync(dist)) return [];
  const pages = (await readdir(dist)).filter((f) => f.endsWith(".html")).sort();
  const out: PagePayload[] = [];
  for (const page of pages) {
    const html = await readFile(join(dist, page), "utf8");
    const files = [...new Set([...html.matchAll(/"path":"\.\/(_file\/[^"]+)"/g)].map((m) => m[1]!))];
    let dataBytes = 0;
    for (const file of files) dataBytes += (await stat(join(dist, file))).size;
    out.push({ page, dataBytes, files });
  }
  return out;
}
