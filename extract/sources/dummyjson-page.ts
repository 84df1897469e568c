import { z } from "zod";
import { DuckmartError } from "../../cli/core/errors.ts";
import type { PageFormat } from "../landing/page-format.ts";
import { commerceEntities } from "../schemas/commerce-entities.ts";

const envelope = z.looseObject({
  total: z.number().int().nonnegative(),
  skip: z.number().int().optional(),
  limit: z.number().int().optional(),
});

/** A DummyJSON page: `{<entity>: [...], total, skip, limit}`. */
export function parsePage(url: string, entity: string, text: string): { total: number; records: unknown[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new DuckmartError(`[GET] "${url}": the response is not valid JSON`, {
      cause,
      hint: "Check that the URL points at the API.",
    });
  }
  const result = envelope.safeParse(body);
  const records = (body as Record<string, unknown> | null)?.[entity];
  if (!result.success || !Array.isArray(records)) {
    throw new DuckmartError(`[GET] "${url}": the page has no "${entity}" array and "total" number`, {
      hint: "Check DUCKMART_DUMMYJSON_URL: it must point at a DummyJSON-compatible API.",
    });
  }
  return { total: result.data.total, records: records as unknown[] };
}

/** DummyJSON pages, for the record writer and its validation worker. */
export const pageFormat: PageFormat = { module: import.meta.url, entities: commerceEntities, parse: parsePage };
