import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeDummyJson } from "../helpers/dummyjson-server.ts";
import { mb, measure, ratio, seconds, table, BIG_SCALE } from "./bench-kit.ts";
import { benchFiles } from "./bench-files.ts";

export async function benchExtract(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-bench-extract-"));
  if (process.env["BENCH_ONLY_FILES"]) {
    await benchFiles(dir);
    return rm(dir, { recursive: true, force: true });
  }
  const gen = process.env["BENCH_SKIP_SAMPLE"]
    ? { rows: 0, ms: 1, maxRssMb: 0 }
    : await measure("extract", [join(dir, "sample"), String(BIG_SCALE)]);
  table("Sample generation (DuckDB SQL)", [
    { measure: "order items generated", value: gen.rows.toLocaleString("en-US"), target: "about 10M" },
    { measure: "wall time", value: seconds(gen.ms), target: "<= 60 s" },
    {
      measure: "rows per second (order items)",
      value: Math.round(gen.rows / (gen.ms / 1000)).toLocaleString("en-US"),
      target: "",
    },
    { measure: "peak RSS", value: mb(gen.maxRssMb), target: "<= 2048 MiB" },
  ]);

  const template = (
    JSON.parse(readFileSync(new URL("../fixtures/dummyjson/users.json", import.meta.url), "utf8")) as Record<
      string,
      unknown
    >[]
  )[0]!;
  const users = Array.from({ length: 100_000 }, (_, i) => ({
    ...template,
    id: i + 1,
    email: `user${i + 1}@example.test`,
    username: `user${i + 1}`,
  }));
  const products = JSON.parse(
    readFileSync(new URL("../fixtures/dummyjson/products.json", import.meta.url), "utf8"),
  ) as unknown[];
  const carts = JSON.parse(
    readFileSync(new URL("../fixtures/dummyjson/carts.json", import.meta.url), "utf8"),
  ) as unknown[];
  const api = await startFakeDummyJson({ users, products, carts });
  api.latencyMs = 20;
  // Pages are rendered once, before timing: the API server's CPU is not part of duckmart's cost.
  api.cachePages = true;
  for (let skip = 0; skip < users.length; skip += 100)
    await fetch(`${api.url}/users?limit=100&skip=${skip}`).then((r) => r.arrayBuffer());
  api.requests.length = 0;
  const run = await measure("dummyjson", [join(dir, "api"), api.url]);
  const pages = api.requests.length;
  await api.close();
  const ideal = (pages * 20) / 4;
  table("DummyJSON extraction (local server, 100k users, 20 ms per request, page size 100, concurrency 4)", [
    { measure: "pages fetched", value: pages, target: "" },
    { measure: "ideal: pages x latency / concurrency", value: seconds(ideal), target: "" },
    { measure: "duckmart wall time", value: seconds(run.ms), target: "" },
    { measure: "ratio to ideal", value: ratio(run.ms, ideal), target: "<= 1.30x" },
    { measure: "peak RSS", value: mb(run.maxRssMb), target: "" },
  ]);
  await benchFiles(dir);
  await rm(dir, { recursive: true, force: true });
}
