import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { ValidatedPage } from "./validate-records.ts";

type Reply = ({ ok: true } & ValidatedPage) | { ok: false; message: string; hint?: string };

/** One worker thread validating raw pages of one entity, answering in the order pages were sent. */
export class ValidationWorker {
  private readonly worker: Worker;
  private readonly waiting: { resolve(page: ValidatedPage): void; reject(error: Error): void }[] = [];

  constructor(source: string, entityName: string, formatModule: string) {
    this.worker = new Worker(fileURLToPath(new URL("./validation-worker-boot.js", import.meta.url)), {
      workerData: { source, entityName, formatModule },
    });
    this.worker.on("message", (reply: Reply) => {
      const next = this.waiting.shift();
      if (!next) return;
      if (reply.ok) next.resolve(reply);
      else next.reject(new DuckmartError(reply.message, { hint: reply.hint }));
    });
    this.worker.on("error", (error) => this.waiting.splice(0).forEach((w) => w.reject(error)));
  }

  validate(url: string, text: string): Promise<ValidatedPage> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage({ url, text });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
