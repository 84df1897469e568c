import { createHttpClient } from "./extract/http/http-client.ts";
import { silentLogger } from "./cli/core/logger.ts";
import http from "node:http";
const url = process.argv[2];
const client = createHttpClient({ timeoutMs: 30000, maxAttempts: 3, backoffMs: 100, maxSockets: 4, logger: silentLogger });
let next = 0; const t = performance.now();
await Promise.all(Array.from({ length: 4 }, async () => { while (next < 1000) { const skip = next++ * 100; await client.getJson(`${url}/users?limit=100&skip=${skip}`); } }));
console.log("getJson 1000 pages", Math.round(performance.now() - t));
client.close();
// raw node http, no parse
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
next = 0; const t2 = performance.now();
await Promise.all(Array.from({ length: 4 }, async () => { while (next < 1000) { const skip = next++ * 100; await new Promise<void>((res) => http.get(`${url}/users?limit=100&skip=${skip}`, { agent }, (r) => { r.resume(); r.on("end", () => res()); })); } }));
console.log("raw http 1000 pages", Math.round(performance.now() - t2));
agent.destroy();
