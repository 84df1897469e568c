import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { buildInfoFooter, footerMarker, readBuildInfo } from "./site-data/build-info.ts";

// Inputs is imported from node_modules (not Framework's CDN-backed built-in), so its stylesheet is inlined too.
const inputsCss = readFileSync(createRequire(import.meta.url).resolve("@observablehq/inputs/dist/index.css"), "utf8");
const css = inputsCss + readFileSync(new URL("./src/style.css", import.meta.url), "utf8");

// The lake (DUCKMART_DATA_DIR, set by duckmart site build).
const dataDir = resolve(process.env["DUCKMART_DATA_DIR"] ?? join(import.meta.dirname, "..", "data"));
// The build the site shows (DUCKMART_BUILD_DIR, set by duckmart site build): its manifest names its sources.
const buildDir = process.env["DUCKMART_BUILD_DIR"] ?? null;

// Observable Framework config for the duckmart dashboards. Everything is served from this origin:
// no CDN imports, no web fonts (the default Google Fonts stylesheet is turned off).
export default {
  root: "src",
  // duckmart site build writes to a temporary folder and swaps it in, so a failed build keeps the last site.
  output: process.env["DUCKMART_SITE_OUTPUT"] ?? "dist",
  title: "duckmart",
  theme: ["air", "near-midnight"],
  globalStylesheets: [],
  head: `<meta name="color-scheme" content="light dark"><link rel="icon" href="data:,"><style>${css}</style>`,
  // duckmart site build builds a shell once per version of the code and stamps each build's footer into a copy of it
  // (DUCKMART_SITE_SHELL); site dev shows the build's footer.
  footer: process.env["DUCKMART_SITE_SHELL"] ? footerMarker : buildInfoFooter(readBuildInfo(dataDir, buildDir)),
  pages: [
    { name: "Executive overview", path: "/" },
    { name: "Sales performance", path: "/sales" },
    { name: "Customer analytics", path: "/customers" },
    { name: "Product performance", path: "/products" },
    { name: "Operations and KPIs", path: "/operations" },
    { name: "Data quality and pipeline", path: "/quality" },
    { name: "Lineage", path: "/lineage" },
  ],
  // categories/[category].md and products/[product].md are rendered once ("template"); duckmart site build gives
  // every category and product a link to that page, which reads its id from its URL. Framework renders about ten
  // pages a second: 20,000 product pages would take half an hour.
  dynamicPaths: ["/categories/template", "/products/template"],
  search: false,
  toc: false,
  pager: false,
  // Links keep .html (any static host serves them); `cleanUrls: false` is deprecated for this.
  preserveExtension: true,
};
