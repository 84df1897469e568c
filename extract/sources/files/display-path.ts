import { basename, dirname, relative, resolve, sep } from "node:path";

/**
 * A file of the export as the lake records it: relative to the configured path's base (its folder, or the folders
 * before the first glob segment), so `exports/orders-*.csv` records `orders-2.csv`, and a glob over folders records
 * `2024-07/orders.csv`. Never an absolute path: no home folder or machine layout lands in the lake.
 */
export function displayPath(file: string, configured: string, cwd = process.cwd()): string {
  const pattern = resolve(cwd, configured);
  const segments = pattern.split(sep);
  const firstGlob = segments.findIndex((segment) => /[*?[{]/.test(segment));
  const base = firstGlob === -1 ? dirname(pattern) : segments.slice(0, firstGlob).join(sep) || sep;
  const path = relative(base, file);
  return !path || path.startsWith("..") ? basename(file) : path.split(sep).join("/");
}
