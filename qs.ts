import { readFileSync } from "node:fs";
import { startFakeDummyJson } from "./tests/helpers/dummyjson-server.ts";
const template = (JSON.parse(readFileSync("tests/fixtures/dummyjson/users.json", "utf8")) as Record<string, unknown>[])[0]!;
const users = Array.from({ length: 100_000 }, (_, i) => ({ ...template, id: i + 1 }));
const api = await startFakeDummyJson({ users, products: JSON.parse(readFileSync("tests/fixtures/dummyjson/products.json", "utf8")), carts: JSON.parse(readFileSync("tests/fixtures/dummyjson/carts.json", "utf8")) });
api.latencyMs = 20; api.cachePages = true;
for (let skip = 0; skip < users.length; skip += 100) await fetch(`${api.url}/users?limit=100&skip=${skip}`).then((r) => r.arrayBuffer());
console.log(api.url);
