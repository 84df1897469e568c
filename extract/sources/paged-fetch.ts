import { z } from "zod";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { HttpClient } from "../http/http-client.ts";

export interface PagedFetchOptions {
  client: HttpClient;
  baseUrl: string;
  entity: string;
  pageSize: number;
  concurrency: number;
  onPage(records: unknown[]): Promise<void>;
  progress?(pages: number, totalPages: number, rows: number): void;
}

const envelope = z.looseObject({ total: z.number().int().nonnegative(), skip: z.number().int().optional(), limit: z.number().int().optional() });

/**
 * Pages through `<base>/<entity>?limit=&skip=`: the first page gives `total`, the rest are fetched with
 * bounded concurrency. Pages are handed to `onPage` one at a time. Returns the server's total.
 */
export async function fetchPaged(options: PagedFetchOptions): Promise<number> {
  const { client, entity, pageSize } = options;
  const urlFor = (skip: number) => {
    const url = new URL(`${options.baseUrl.replace(/\/+$/, "")}/${entity}`);
    url.searchParams.set("limit", String(pageSize));
    url.searchParams.set("skip", String(skip));
    return url.toString();
  };
  const parse = (url: string, body: unknown) => {
    const result = envelope.safeParse(body);
    const records = (body as Record<string, unknown> | null)?.[entity];
    if (!result.success || !Array.isArray(records)) {
      throw new DuckmartError(`[GET] "${url}": the page has no "${entity}" array and "total" number`, {
        hint: "Check DUCKMART_DUMMYJSON_URL: it must point at a DummyJSON-compatible API.",
      });
    }
    return { total: result.data.total, records: records as unknown[] };
  };

  const firstUrl = urlFor(0);
  const first = parse(firstUrl, await client.getJson(firstUrl));
  const totalPages = Math.max(1, Math.ceil(first.total / pageSize));
  let rows = first.records.length;
  let done = 1;
  await options.onPage(first.records);
  options.progress?.(done, totalPages, rows);

  // Fetching never waits for validation: pages are validated and spooled one at a time behind the
  // fetchers, which only pause when more than `2 x concurrency` pages are waiting to be written.
  let next = 1;
  let pending = 0;
  let failed = false;
  let writing: Promise<void> = Promise.resolve();
  const drained: (() => void)[] = [];
  const enqueue = (records: unknown[]) => {
    pending++;
    writing = writing.then(async () => {
      await options.onPage(records);
      rows += records.length;
      pending--;
      options.progress?.(++done, totalPages, rows);
      drained.shift()?.();
    });
    writing.catch(() => {
      failed = true;
      drained.splice(0).forEach((wake) => wake());
    });
  };
  const worker = async () => {
    while (next < totalPages && !failed) {
      const url = urlFor(next++ * pageSize);
      const page = parse(url, await options.client.getJson(url));
      enqueue(page.records);
      if (pending > 2 * options.concurrency) await new Promise<void>((wake) => drained.push(wake));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, totalPages - 1) }, worker));
  await writing;
  return first.total;
}
