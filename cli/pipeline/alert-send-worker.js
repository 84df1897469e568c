// Sends an interrupted run's alert (the ChannelRequests of alert-channels.ts) while the main thread waits for it in
// its signal handler (alert-now.ts): the run's own code cannot go on meanwhile. Plain JavaScript, so it starts in
// about 0.2 s; a TypeScript worker would need tsx first (about 0.8 s).
import { workerData } from "node:worker_threads";

const { requests, port, done } = workerData;

const results = await Promise.all(
  requests.map(async (request) => {
    try {
      await send(request);
      return { ok: true };
    } catch (error) {
      return { ok: false, ...describe(error) };
    }
  }),
);
port.postMessage(results);
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);

/** As sendRequest in alert-channels.ts. */
async function send(request) {
  if (request.channel === "webhook") {
    const response = await fetch(request.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    if (!response.ok)
      throw Object.assign(new Error("HTTP error"), { status: response.status, statusText: response.statusText });
    return;
  }
  const { createTransport } = await import("nodemailer");
  const transport = createTransport(request.transport);
  try {
    await transport.sendMail(request.message);
  } finally {
    transport.close();
  }
}

/** The error as data: its message, an HTTP status, and every error code along its causes (to name a DNS failure). */
function describe(error) {
  const codes = [];
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 10; e = e.cause, depth++)
    if (typeof e.code === "string") codes.push(e.code);
  return {
    message: error instanceof Error ? error.message : String(error),
    status: error?.status,
    statusText: error?.statusText,
    codes,
  };
}
