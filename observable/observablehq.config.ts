import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

// Inputs is imported from node_modules (not Framework's CDN-backed built-in), so its stylesheet is inlined too.
const inputsCss = readFileSync(createRequire(import.meta.url).resolve("@observablehq/inputs/dist/index.css"), "utf8");
const css = inputsCss + readFileSync(new URL("./src/style.css", import.meta.url), "utf8");

/** Every page names the build it shows and that build's sources (DUCKMART_BUILD_DIR is set by `duckmart site build`). */
function buildFooter(): string {
  const dir = process.env["DUCKMART_BUILD_DIR"];
  const manifestPath = dir ? join(dir, "build.json") : "";
  const build =
    manifestPath && existsSync(manifestPath)
      ? (JSON.parse(readFileSync(manifestPath, "utf8")) as {
          buildId: string;
          shopSource: string;
          paymentsSource: string;
          asOf: string;
        })
      : undefined;
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const about = build
    ? `Build <code id="build-id">${escape(build.buildId)}</code> · shop source ${escape(build.shopSource)} · payments ${
        build.paymentsSource === "none" ? "none configured" : escape(build.paymentsSource)
      } · as of ${escape(build.asOf)}.`
    : "Built by duckmart from the marts in data/.";
  return `<span class="duckmart-build">${about}</span> Revenue counts completed orders after discount.`;
}

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
  footer: buildFooter(),
  pages: [
    { name: "Executive overview", path: "/" },
    { name: "Sales performance", path: "/sales" },
    { name: "Customer analytics", path: "/customers" },
    { name: "Product performance", path: "/products" },
    { name: "Operations and KPIs", path: "/operations" },
    { name: "Data quality and pipeline", path: "/quality" },
    { name: "Lineage", path: "/lineage" },
  ],
  search: false,
  toc: false,
  pager: false,
  // Links keep .html (any static host serves them); `cleanUrls: false` is deprecated for this.
  preserveExtension: true,
};
