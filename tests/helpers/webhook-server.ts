import http from "node:http";
import { listenOnLoopback } from "./ports.ts";

/** A local Slack-compatible webhook that records what it receives. */
export async function startWebhook(): Promise<{
  url: string;
  bodies: Record<string, unknown>[];
  paths: string[];
  close(): Promise<void>;
}> {
  const bodies: Record<string, unknown>[] = [];
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      paths.push(req.url ?? "");
      bodies.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  return { ...(await listenOnLoopback(server)), bodies, paths };
}
