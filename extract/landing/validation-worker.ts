// Worker thread: parses and validates a source's raw pages off the main thread, which then only does HTTP.
import { parentPort, workerData } from "node:worker_threads";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { PageFormat } from "./page-format.ts";
import { validateRecords } from "./validate-records.ts";

const { source, entityName, formatModule } = workerData as { source: string; entityName: string; formatModule: string };
const { pageFormat } = (await import(formatModule)) as { pageFormat: PageFormat };
const entity = pageFormat.entities.find((e) => e.name === entityName)!;

parentPort!.on("message", ({ url, text }: { url: string; text: string }) => {
  try {
    const { records } = pageFormat.parse(url, entity.name, text);
    parentPort!.postMessage({ ok: true, ...validateRecords(source, entity, records) });
  } catch (error) {
    parentPort!.postMessage({
      ok: false,
      message: (error as Error).message,
      hint: error instanceof DuckmartError ? error.hint : undefined,
    });
  }
});
