import { mkdir, writeFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { z } from "zod";
import { quoteLiteral } from "../../cli/core/duckdb.ts";
import { landRelation } from "../../extract/landing/land-relation.ts";
import { publishLandings, writeLandingManifest } from "../../extract/landing/manifest.ts";
import { landingTarget } from "../../cli/core/contracts/landing.ts";
import { orderItemSchema, orderSchema } from "../../extract/schemas/derived-schemas.ts";
import { cartSchema, productSchema, userSchema } from "../../extract/schemas/dummyjson-schemas.ts";
import { columnsFromSchema } from "../../extract/schemas/duckdb-types.ts";
import { withTestDuckdb } from "./test-duckdb.ts";
import type { TestLake } from "./test-lake.ts";

const schemas: Record<string, z.ZodObject> = {
  products: productSchema,
  users: userSchema,
  carts: cartSchema,
  orders: orderSchema,
  order_items: orderItemSchema,
};

/**
 * Land hand-written rows as raw Parquet with the contract's column types; missing fields are NULL. `asOfSetBy`:
 * land it as extract does for an as-of set by hand (e.g. "--as-of").
 */
export async function writeRaw(
  lake: TestLake,
  entity: string,
  rows: Record<string, unknown>[],
  source = lake.config.source,
  asOfSetBy?: string,
): Promise<void> {
  const columns = columnsFromSchema(schemas[entity]!);
  const extractedAt = new Date().toISOString();
  const target = landingTarget(lake.paths, source, entity, extractedAt);
  const spool = `${target}.fixture.ndjson`;
  await mkdir(dirname(target), { recursive: true });
  await writeFile(spool, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const columnMap = columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(", ");
  const relation = rows.length
    ? `read_json(${quoteLiteral(spool)}, format = 'newline_delimited', columns = {${columnMap}})`
    : `(select ${columns.map((c) => `null::${c.type} as "${c.name}"`).join(", ")} where false)`;
  await withTestDuckdb((c) => landRelation(c, { relation, columns, target }));
  await rm(spool);
  const landing = await writeLandingManifest(
    lake.paths,
    { source, entity, rowCount: rows.length, extractedAt, asOf: lake.config.asOf, driftFields: [] },
    columns,
  );
  await publishLandings(lake.paths, [landing], asOfSetBy);
}

export const product = (id: number, price: number, category: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `P${id}`,
  category,
  price,
  discountPercentage: 10,
  rating: 4.2,
  stock: 50,
  brand: null,
  sku: `S${id}`,
  availabilityStatus: "In Stock",
  reviews: [],
  minimumOrderQuantity: 1,
  meta: { createdAt: "2025-04-30T09:41:02.053Z", updatedAt: "2025-04-30T09:41:02.053Z", barcode: "1", qrCode: "q" },
  ...extra,
});

export const user = (
  id: number,
  city: string,
  state: string,
  stateCode: string,
  extra: Record<string, unknown> = {},
) => ({
  id,
  firstName: `First${id}`,
  lastName: `Last${id}`,
  email: `user${id}@example.test`,
  phone: `+1 555 000 ${id}`,
  age: 30,
  gender: "female",
  birthDate: "1995-1-2",
  address: {
    address: `${id} Main Street`,
    city,
    state,
    stateCode,
    postalCode: "10001",
    coordinates: { lat: 1, lng: 2 },
    country: "United States",
  },
  role: "user",
  ...extra,
});

/** An order and its lines: lines are [productId, unitPrice, quantity, discountPercentage]. */
export function order(
  id: number,
  userId: number,
  orderedAt: string,
  status: string,
  lines: [number, number, number, number][],
) {
  const items = lines.map(([productId, price, quantity, discount], i) => {
    const lineTotal = Math.round(price * quantity * 100) / 100;
    return {
      order_item_id: id * 1000 + i + 1,
      order_id: id,
      line_number: i + 1,
      product_id: productId,
      product_title: `P${productId}`,
      unit_price: price,
      quantity,
      line_total: lineTotal,
      discount_percentage: discount,
      discounted_line_total: Math.round(lineTotal * (1 - discount / 100) * 100) / 100,
    };
  });
  const header = {
    order_id: id,
    user_id: userId,
    ordered_at: orderedAt,
    status,
    line_count: items.length,
    total_quantity: items.reduce((n, l) => n + l.quantity, 0),
    gross_total: items.reduce((n, l) => n + l.line_total, 0),
    discounted_total: Math.round(items.reduce((n, l) => n + l.discounted_line_total, 0) * 100) / 100,
  };
  return { header, items };
}

export async function writeOrders(
  lake: TestLake,
  orders: ReturnType<typeof order>[],
  asOfSetBy?: string,
): Promise<void> {
  await writeRaw(
    lake,
    "orders",
    orders.map((o) => o.header),
    lake.config.source,
    asOfSetBy,
  );
  await writeRaw(
    lake,
    "order_items",
    orders.flatMap((o) => o.items),
    lake.config.source,
    asOfSetBy,
  );
}

/** A one-order shop with `products` products (no order at all for 0): what the row-count guard tests shrink. */
export async function guardShop(lake: TestLake, products: number): Promise<void> {
  await writeRaw(
    lake,
    "products",
    Array.from({ length: products }, (_, i) => product(i + 1, 10, "alpha")),
  );
  await writeRaw(lake, "users", [user(1, "Austin", "Texas", "TX")]);
  await writeRaw(lake, "carts", []);
  await writeOrders(lake, products ? [order(1, 1, "2026-11-20T10:00:00", "completed", [[1, 10, 1, 0]])] : []);
}
