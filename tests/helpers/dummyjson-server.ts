import { readFileSync } from "node:fs";
import http from "node:http";
import { listenOnLoopback } from "./ports.ts";

export type Fault = { status: number; headers?: Record<string, string>; body?: string } | { hang: true };

export interface FakeDummyJson {
  url: string;
  /** Requests seen, as "entity?limit=..&skip=..". */
  requests: string[];
  /** Faults served before the real answer, per request path+query (consumed in order). */
  faults: Map<string, Fault[]>;
  data: Record<string, unknown[]>;
  /** Report a larger total than the records served, per entity. */
  totalOverride: Record<string, number>;
  latencyMs: number;
  /** Serve each page's JSON from a cache (benchmarks: the API server's CPU is not duckmart's). */
  cachePages: boolean;
  close(): Promise<void>;
}

export function fixture(entity: string): unknown[] {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/dummyjson/${entity}.json`, import.meta.url), "utf8"),
  ) as unknown[];
}

/** A DummyJSON-shaped API on 127.0.0.1 serving `limit`/`skip` pages, with injectable faults. */
export async function startFakeDummyJson(
  data: Record<string, unknown[]> = { products: fixture("products"), users: fixture("users"), carts: fixture("carts") },
): Promise<FakeDummyJson> {
  const state: Omit<FakeDummyJson, "url" | "close"> = {
    requests: [],
    faults: new Map(),
    data,
    totalOverride: {},
    latencyMs: 0,
    cachePages: false,
  };
  const pageCache = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const entity = url.pathname.replace(/^\//, "");
    const key = `${entity}?limit=${url.searchParams.get("limit")}&skip=${url.searchParams.get("skip")}`;
    state.requests.push(key);
    const fault = state.faults.get(key)?.shift() ?? state.faults.get(entity)?.shift();
    const respond = () => {
      if (fault && "hang" in fault) return; // never answers: the client must time out
      if (fault)
        return void res
          .writeHead(fault.status, { "content-type": "application/json", ...fault.headers })
          .end(fault.body ?? JSON.stringify({ message: "fault" }));
      const records = state.data[entity];
      if (!records)
        return void res
          .writeHead(404, { "content-type": "application/json" })
          .end(JSON.stringify({ message: "not found" }));
      const limit = Number(url.searchParams.get("limit") ?? 30);
      const skip = Number(url.searchParams.get("skip") ?? 0);
      const render = () =>
        JSON.stringify({
          [entity]: records.slice(skip, skip + limit),
          total: state.totalOverride[entity] ?? records.length,
          skip,
          limit,
        });
      let body = state.cachePages ? pageCache.get(key) : undefined;
      if (body === undefined) {
        body = render();
        if (state.cachePages) pageCache.set(key, body);
      }
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    };
    if (state.latencyMs) setTimeout(respond, state.latencyMs);
    else respond();
  });
  server.keepAliveTimeout = 30_000;
  return Object.assign(state, await listenOnLoopback(server));
}
