import type { DuckDBConnection } from "@duckdb/node-api";
import { queryValue, quoteIdent, quoteLiteral } from "../../../cli/core/duckdb.ts";
import type { LineMapping } from "./line-mapping.ts";
import { moneyType } from "./line-mapping.ts";
import { linesTable } from "./lines-sql.ts";
import { grossFromNetSql, unitPriceSql } from "./money-division.ts";
import { addSurrogateIds, contactFields, personFields, resolveOrders } from "./resolve-orders.ts";

/**
 * Set up the temp tables and views the entities are landed from, over the typed lines Parquet:
 * file_lines (good lines, file order in line_index), file_orders, file_customers, file_products (with
 * surrogate ids) and the view file_items (one row per order item, returns netted).
 */
export async function prepareEntities(
  connection: DuckDBConnection,
  options: { mapping: LineMapping; chooseAsOf: (newest: Date | null) => string },
): Promise<{ idSchemes: Record<string, string>; totalsOnOrders: boolean; asOf: string; ordersAfterAsOf: number }> {
  // The lines table holds the mapped fields only: the others are typed nulls.
  await connection.run(`create or replace temp view file_lines as
    select * exclude (__bad, __bad_value), ${options.mapping.absent.map((a) => `${a},`).join(" ")}
    from ${linesTable}
    where __bad is null and quantity <> 0`);
  await createPricedView(connection);
  // Without returns every line is one order item, so the order totals are sums over the lines, taken in
  // the same pass that resolves the orders (no second pass over the items, no join of totals to orders).
  const returns = await queryValue<number>(connection, "select count(*) from file_lines where quantity < 0");
  const totalsOnOrders = returns === 0;
  await resolveOrders(connection, { withTotals: totalsOnOrders });
  // An as-of before the export's newest order (a look back): orders after that day are left out, so every mart
  // tells the same story of that day (fact tables and the as-of windows alike).
  const asOf = options.chooseAsOf(
    await queryValue<Date | null>(connection, "select max(ordered_at)::date from file_orders"),
  );
  const late = `ordered_at >= date ${quoteLiteral(asOf)} + interval 1 day`;
  const ordersAfterAsOf = await queryValue<number>(connection, `select count(*) from file_orders where ${late}`);
  if (ordersAfterAsOf) await connection.run(`delete from file_orders where ${late}`);
  // "Most recent" as one number: the order date, then the position in the file (deterministic, no ties).
  const latest = (column: string, as = column, key = "epoch_us(ordered_at)::hugeint * 1000000000000 + first_line") =>
    `arg_max(${column}, ${key}) filter (where ${column} is not null) as ${as}`;
  // A customer's address block is the one of their most recent order, read from the line it came from; their
  // name, email and phone each from their most recent order that has one (a per-customer aggregate: the lines are
  // read once more only at those few line indexes).
  await connection.run(`create or replace temp table file_customer_keys as
    select
        coalesce(customer_key, 'guest') as customer_key,
        ${latest("contact_line")},
        ${personFields.map((f) => latest(`${f}_line`)).join(",\n        ")},
        min(name_hash) <> max(name_hash) as has_two_names,
        min(email_hash) <> max(email_hash) as has_two_emails,
        coalesce(bool_and(key_is_customer_id), false) as key_is_customer_id,
    from file_orders
    group by all`);
  const lineOf = (f: string) => (personFields.includes(f) ? `${f}_line` : "contact_line");
  const lineColumns = ["contact_line", ...personFields.map(lineOf)];
  await connection.run(`create or replace temp table file_customers as
    with wanted as (
        ${lineColumns.map((c) => `select ${c} as line_index from file_customer_keys`).join("\n        union\n        ")}
    ),
    lines as (
        select line_index, ${contactFields.join(", ")},
        from file_lines
        semi join wanted using (line_index)
    )
    select
        k.customer_key,
        {${contactFields.map((f) => `'${f}': ${lineOf(f)}.${f}`).join(", ")}} as contact,
        k.has_two_names,
        k.has_two_emails,
        k.key_is_customer_id,
    from file_customer_keys k
    ${lineColumns.map((c) => `left join lines ${c} on k.${c} = ${c}.line_index`).join("\n    ")}`);
  // Product attributes come from the most recent line: the latest order date, then the latest line in the file.
  // Lines carry their order's date unless the export gives it on an order's first line only (then: join).
  const undatedLines = await queryValue<number>(connection, "select count(*) from file_lines where ordered_at is null");
  const recent = `epoch_us(${undatedLines ? "o" : "l"}.ordered_at)::hugeint * 1000000000000 + l.line_index`;
  await connection.run(`create or replace temp table file_products as
    select
        l.product_id as product_key,
        ${latest("l.product_name", "title", recent)},
        min(l.product_name) <> max(l.product_name) as has_two_names,
        ${latest("l.category", "category", recent)},
        ${latest("l.brand", "brand", recent)},
        ${latest("l.sku", "sku", recent)},
        ${latest("l.unit_price", "unit_price", recent)},
        ${latest("l.line_gross_amount / l.quantity", "gross_unit_price", recent)},
        ${latest("l.line_net_amount / l.quantity", "net_unit_price", recent)},
    from file_lines l
    ${undatedLines ? "inner join file_orders o on l.order_id = o.order_number" : ordersAfterAsOf ? "semi join file_orders o on l.order_id = o.order_number" : ""}
    group by l.product_id`);
  const idSchemes = {
    orders: await addSurrogateIds(connection, "file_orders", "order_number", "order_id"),
    customers: await addSurrogateIds(connection, "file_customers", "customer_key", "user_id", {
      saltedWhere: "not key_is_customer_id",
    }),
    products: await addSurrogateIds(connection, "file_products", "product_key", "product_id"),
  };
  await createItemsView(connection, options.mapping, returns);
  return { idSchemes, totalsOnOrders, asOf, ordersAfterAsOf };
}

const money = (sql: string) => `cast(${sql} as ${moneyType})`;

/**
 * file_lines with each line's money derived where the file lacks it: gross_amount, discount_value, net_amount. In
 * decimals throughout (a DOUBLE branch would make the whole coalesce() a DOUBLE): the divisions in money-division.ts,
 * a percentage as a product with 0.01.
 */
async function createPricedView(connection: DuckDBConnection): Promise<void> {
  const wide = (column: string) => `cast(${column} as DECIMAL(38, 6))`;
  await connection.run(`create or replace temp view file_lines_priced as
    with gross as (
        select
            *,
            ${money(`coalesce(line_gross_amount, unit_price * quantity, line_net_amount + discount_amount,
                ${grossFromNetSql("line_net_amount", "discount_rate")},
                line_net_amount)`)} as gross_amount,
        from file_lines
    ),
    discounted as (
        select
            *,
            ${money(`coalesce(discount_amount, gross_amount - line_net_amount, ${money(`${wide("gross_amount")} * discount_rate * 0.01`)}, 0)`)} as discount_value,
        from gross
    )
    select
        *,
        ${money("coalesce(line_net_amount, gross_amount - discount_value)")} as net_amount,
    from discounted`);
}

/** One row per order item: money derived where the file lacks it; a return is netted into its sale. */
async function createItemsView(connection: DuckDBConnection, mapping: LineMapping, returns: number): Promise<void> {
  const signed = (sql: string) => `case when quantity < 0 then -abs(${sql}) else ${sql} end`;
  const drift = mapping.drift.map((c) => quoteIdent(c.as));
  await connection.run(`create or replace temp view file_line_amounts as
    select
        line_index,
        order_id as order_number,
        product_id as product_key,
        product_name,
        quantity,
        ${signed("gross_amount")} as line_total,
        ${signed("discount_value")} as discount_total,
        ${signed("net_amount")} as discounted_line_total,
        ${money(`coalesce(unit_price, ${unitPriceSql("gross_amount", "quantity")})`)} as unit_price,
        ${drift.map((d) => `${d},`).join(" ")}
    from file_lines_priced`);
  const keepAll = `select * from file_line_amounts`;
  const netted =
    returns > 0
      ? `
    returned as (
        select distinct order_number, product_key from file_line_amounts where quantity < 0
    ),
    kept as (
        select * from file_line_amounts anti join returned using (order_number, product_key)
    ),
    netted as (
        select
            min(line_index) filter (where quantity > 0) as line_index,
            order_number,
            product_key,
            arg_min(product_name, line_index) filter (where quantity > 0) as product_name,
            sum(quantity) as quantity,
            sum(line_total) as line_total,
            sum(discount_total) as discount_total,
            sum(discounted_line_total) as discounted_line_total,
            arg_min(unit_price, line_index) filter (where quantity > 0) as unit_price,
            ${drift.map((d) => `arg_min(${d}, line_index) filter (where quantity > 0) as ${d},`).join(" ")}
        from file_line_amounts semi join returned using (order_number, product_key)
        group by order_number, product_key
        having sum(quantity) > 0
    ),
    lines as (
        select * from kept
        union all by name
        select * from netted
    ),`
      : `
    lines as (${keepAll}),`;
  const contiguous =
    returns === 0 && (await queryValue<boolean>(connection, "select bool_and(is_contiguous) from file_orders"));
  const lineNumber = contiguous
    ? "lines.line_index - o.first_line + 1"
    : "row_number() over (partition by o.order_id order by lines.line_index)";
  await connection.run(`create or replace temp view file_items as
    with ${netted.trim().replace(/,$/, "")}
    select
        lines.line_index + 1 as order_item_id,
        o.order_id,
        ${lineNumber} as line_number,
        p.product_id,
        coalesce(lines.product_name, p.title, lines.product_key) as product_title,
        lines.unit_price,
        lines.quantity,
        lines.line_total,
        ${money("case when lines.line_total <> 0 then round(lines.discount_total / lines.line_total * 100, 4) else 0 end")} as discount_percentage,
        lines.discounted_line_total,
        ${drift.map((d) => `lines.${d},`).join(" ")}
    from lines
    inner join file_orders o on lines.order_number = o.order_number
    inner join file_products p on lines.product_key = p.product_key`);
}
