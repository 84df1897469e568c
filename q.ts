import { readFileSync } from "node:fs";
import { userSchema } from "./extract/schemas/dummyjson-schemas.ts";
import { dropSecrets } from "./extract/secret-fields.ts";
const template = (JSON.parse(readFileSync("tests/fixtures/dummyjson/users.json", "utf8")) as Record<string, unknown>[])[0]!;
const page = JSON.stringify({ users: Array.from({ length: 100 }, (_, i) => ({ ...template, id: i + 1 })), total: 100000 });
const N = 300;
let t = performance.now(); let recs: any[] = [];
for (let i = 0; i < N; i++) recs = JSON.parse(page).users;
console.log("parse ms/page", ((performance.now() - t) / N).toFixed(2), "bytes", page.length);
t = performance.now();
for (let i = 0; i < N; i++) for (const r of recs) dropSecrets("users", r);
console.log("dropSecrets", ((performance.now() - t) / N).toFixed(2));
const clean = recs.map((r) => dropSecrets("users", r));
t = performance.now();
for (let i = 0; i < N; i++) for (const r of clean) userSchema.safeParse(r);
console.log("zod", ((performance.now() - t) / N).toFixed(2));
t = performance.now();
for (let i = 0; i < N; i++) { let s = ""; for (const r of clean) s += JSON.stringify(r) + "\n"; }
console.log("stringify", ((performance.now() - t) / N).toFixed(2));
