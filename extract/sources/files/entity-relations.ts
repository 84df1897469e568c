import { quoteIdent, quoteLiteral } from "../../../cli/core/duckdb.ts";
import { orderItemSchema, orderSchema } from "../../schemas/derived-schemas.ts";
import { productSchema, userSchema } from "../../schemas/dummyjson-schemas.ts";
import { columnsFromSchema, type ColumnSpec } from "../../schemas/duckdb-types.ts";
import { moneyType, type LineMapping } from "./line-mapping.ts";
import { moneySumType } from "./lines-sql.ts";

/**
 * The files source lands the same entities, with the same columns, as the other commerce sources (so the
 * staging models read it unchanged), plus the natural keys as text (product_key, customer_key,
 * order_number). Money is DECIMAL(18, 6), the file's precision, on the order items; an order's totals (sums of
 * its lines) are DECIMAL(38, 6). What a file cannot know is null.
 */
export interface EntityRelation {
  entity: string;
  columns: ColumnSpec[];
  relation: string;
  idField: string;
}

const withMoney = (columns: ColumnSpec[], money: string[], type = moneyType) =>
  columns.map((c) => (money.includes(c.name) ? { ...c, type } : c));

/** `(select <expr or null> as <column>, ... from <from>)` for every column of the contract. */
function project(columns: ColumnSpec[], values: Record<string, string>, from: string): string {
  const list = columns.map((c) => `${values[c.name] ?? "null"} as ${quoteIdent(c.name)}`);
  return `(select ${list.join(", ")} from ${from})`;
}

/**
 * `totalsOnOrders`: file_orders carries its totals (no returns); otherwise they come from the landed order
 * items (file_order_totals, see orderTotalsSql), where an order returned in full has none and is cancelled.
 */
export function entityRelations(mapping: LineMapping, options: { totalsOnOrders: boolean }): EntityRelation[] {
  const totals = options.totalsOnOrders ? "o" : "t";
  const products = [...columnsFromSchema(productSchema), { name: "product_key", type: "VARCHAR" }];
  const users = [...columnsFromSchema(userSchema), { name: "customer_key", type: "VARCHAR" }];
  const orders = [
    // An order's totals are sums of its lines: DECIMAL(38, 6), where each line is DECIMAL(18, 6).
    ...withMoney(columnsFromSchema(orderSchema), ["gross_total", "discounted_total"], moneySumType),
    { name: "order_number", type: "VARCHAR" },
    { name: "currency", type: "VARCHAR" },
    { name: "shipped_at", type: "TIMESTAMP" },
  ];
  const items = [
    ...withMoney(columnsFromSchema(orderItemSchema), [
      "unit_price",
      "line_total",
      "discount_percentage",
      "discounted_line_total",
    ]),
    ...mapping.drift.map((c) => ({ name: c.as, type: c.type })),
  ];
  return [
    { entity: "order_items", columns: items, relation: "file_items", idField: "order_item_id" },
    {
      entity: "products",
      idField: "id",
      columns: products,
      relation: project(
        products,
        {
          id: "product_id",
          title: "coalesce(title, product_key)",
          category: "coalesce(category, 'Uncategorized')",
          brand: "brand",
          sku: "coalesce(sku, product_key)",
          price: "coalesce(unit_price, gross_unit_price, net_unit_price)",
          product_key: "product_key",
        },
        "file_products",
      ),
    },
    {
      entity: "users",
      idField: "id",
      columns: users,
      relation: project(
        users,
        {
          id: "user_id",
          firstName: "split_part(contact.customer_name, ' ', 1)",
          lastName:
            "nullif(trim(substr(contact.customer_name, length(split_part(contact.customer_name, ' ', 1)) + 1)), '')",
          email: "contact.customer_email",
          phone: "contact.customer_phone",
          address: `{'address': contact.street_address, 'city': contact.city, 'state': contact.state, 'stateCode': null, 'postalCode': contact.postal_code, 'coordinates': null, 'country': contact.country}`,
          role: "'customer'",
          customer_key: "customer_key",
        },
        "file_customers",
      ),
    },
    {
      entity: "orders",
      idField: "order_id",
      columns: orders,
      // No status on any line counts as completed; an order whose every line was returned is cancelled.
      relation: project(
        orders,
        {
          order_id: "o.order_id",
          user_id: "c.user_id",
          ordered_at: "o.ordered_at",
          status: options.totalsOnOrders
            ? "coalesce(o.status, 'completed')"
            : "case when t.order_id is null then 'cancelled' else coalesce(o.status, 'completed') end",
          line_count: `coalesce(${totals}.line_count, 0)`,
          total_quantity: `coalesce(${totals}.total_quantity, 0)`,
          gross_total: `coalesce(${totals}.gross_total, 0)`,
          discounted_total: `coalesce(${totals}.discounted_total, 0)`,
          order_number: "o.order_number",
          currency: "o.currency",
          shipped_at: "o.shipped_at",
        },
        `file_orders o
        inner join file_customers c on coalesce(o.customer_key, 'guest') = c.customer_key
        ${options.totalsOnOrders ? "" : "left join file_order_totals t on o.order_id = t.order_id"}`,
      ),
    },
  ];
}

/** Per-order totals from the landed order items (exact decimal sums). */
export function orderTotalsSql(itemsPath: string): string {
  return `create or replace temp table file_order_totals as
    select
        order_id,
        count(*) as line_count,
        sum(quantity) as total_quantity,
        sum(line_total) as gross_total,
        sum(discounted_line_total) as discounted_total,
    from read_parquet(${quoteLiteral(itemsPath)})
    group by order_id`;
}
