// Worker thread: parses and validates DummyJSON pages off the main thread, which then only does HTTP.
import { parentPort, workerData } from "node:worker_threads";
import { DuckmartError } from "../../cli/core/errors.ts";
import { commerceEntities } from "../schemas/commerce-entities.ts";
import { parsePage } from "../sources/dummyjson-page.ts";
import { validateRecords } from "./validate-records.ts";

const { source, entityName } = workerData as { source: string; entityName: string };
const entity = commerceEntities.find((e) => e.name === entityName)!;

parentPort!.on("message", ({ url, text }: { url: string; text: string }) => {
  try {
    const { records } = parsePage(url, entity.name, text);
    parentPort!.postMessage({ ok: true, ...validateRecords(source, entity, records) });
  } catch (error) {
    parentPort!.postMessage({
      ok: false,
      message: (error as Error).message,
      hint: error instanceof DuckmartError ? error.hint : undefined,
    });
  }
});
