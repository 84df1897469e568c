import type { HttpClient } from "../http/http-client.ts";
import { parsePage } from "./dummyjson-page.ts";

export interface PagedFetchOptions {
  client: HttpClient;
  baseUrl: string;
  entity: string;
  pageSize: number;
  concurrency: number;
  /** Each page's raw JSON (validated elsewhere, e.g. on a worker thread) and how many records it holds. */
  onPage(page: { url: string; text: string }): Promise<number>;
  /** Called once the first page tells how many pages there are, before the others are requested. */
  onTotalPages?(pages: number): void;
  progress?(pages: number, totalPages: number, rows: number): void;
}

/** Pages allowed to wait for validation before fetching pauses (about 8 MB at DummyJSON's page size). */
const MAX_PENDING = 64;

/**
 * Pages through `<base>/<entity>?limit=&skip=`: the first page gives `total`, the rest are fetched with
 * bounded concurrency. Pages are handed to `onPage` one at a time, in page order. Returns the server's total.
 */
export async function fetchPaged(options: PagedFetchOptions): Promise<number> {
  const { client, entity, pageSize } = options;
  const urlFor = (skip: number) => {
    const url = new URL(`${options.baseUrl.replace(/\/+$/, "")}/${entity}`);
    url.searchParams.set("limit", String(pageSize));
    url.searchParams.set("skip", String(skip));
    return url.toString();
  };
  const firstUrl = urlFor(0);
  const firstText = await client.getText(firstUrl);
  const first = parsePage(firstUrl, entity, firstText);
  const totalPages = Math.max(1, Math.ceil(first.total / pageSize));
  options.onTotalPages?.(totalPages);
  let rows = 0;
  let done = 1;
  rows += await options.onPage({ url: firstUrl, text: firstText });
  options.progress?.(done, totalPages, rows);

  // Fetching never waits for validation: pages are validated and spooled one at a time, in page order
  // (so the spool keeps the API's order), behind the fetchers, which only pause when more than
  // MAX_PENDING pages are waiting (for instance while the validation worker starts).
  let next = 1;
  let pending = 0;
  let failed = false;
  let nextToWrite = 1;
  const arrived = new Map<number, { url: string; text: string }>();
  let writing: Promise<void> = Promise.resolve();
  const drained: (() => void)[] = [];
  const enqueue = (index: number, page: { url: string; text: string }) => {
    pending++;
    arrived.set(index, page);
    for (let ready = arrived.get(nextToWrite); ready; ready = arrived.get(nextToWrite)) {
      arrived.delete(nextToWrite++);
      const inOrder = ready;
      writing = writing.then(async () => {
        rows += await options.onPage(inOrder);
        pending--;
        options.progress?.(++done, totalPages, rows);
        drained.shift()?.();
      });
    }
    writing.catch(() => {
      failed = true;
      drained.splice(0).forEach((wake) => wake());
    });
  };
  const worker = async () => {
    while (next < totalPages && !failed) {
      const index = next++;
      const url = urlFor(index * pageSize);
      enqueue(index, { url, text: await options.client.getText(url) });
      if (pending > Math.max(MAX_PENDING, 2 * options.concurrency))
        await new Promise<void>((wake) => drained.push(wake));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, totalPages - 1) }, worker));
  await writing;
  return first.total;
}
