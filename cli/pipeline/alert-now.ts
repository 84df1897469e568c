import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { webhookStatusError, type ChannelRequest } from "./alert-channels.ts";

type WorkerResult =
  { ok: true } | { ok: false; message: string; status?: number; statusText?: string; codes: string[] };

/**
 * Send the requests from a worker thread while this thread waits, at most `timeoutMs`: for the signal handler of an
 * interrupted run, which must neither return to the run's code (it would go on writing the lake) nor hold up the
 * exit for long. Returns one outcome per request: undefined when sent, else the error (a request still unsent when
 * the time is up fails with a timeout).
 */
export function sendBlocking(requests: ChannelRequest[], timeoutMs: number): (Error | undefined)[] {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(fileURLToPath(new URL("./alert-send-worker.js", import.meta.url)), {
      workerData: { requests, port: port2, done },
      transferList: [port2],
    });
  } catch (error) {
    return requests.map(() => (error instanceof Error ? error : new Error(String(error))));
  }
  worker.unref();
  Atomics.wait(done, 0, 0, timeoutMs);
  const results = receiveMessageOnPort(port1)?.message as WorkerResult[] | undefined;
  void worker.terminate();
  port1.close();
  return requests.map((request, i) => {
    const result = results?.[i];
    if (!result) return new Error(`not sent within ${timeoutMs / 1000} s (the run was exiting)`);
    if (result.ok) return undefined;
    if (request.channel === "webhook" && result.status !== undefined)
      return webhookStatusError(request.url, result.status, result.statusText ?? "");
    // The codes along the causes, where dnsErrorCode looks for ENOTFOUND (an unresolvable host names its setting).
    return Object.assign(new Error(result.message), { errors: result.codes.map((code) => ({ code })) });
  });
}
