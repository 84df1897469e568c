import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteLiteral } from "../cli/core/duckdb.ts";
import { landingTarget, readSnapshotSql } from "../cli/core/contracts/landing.ts";
import type { LakePaths } from "../cli/core/paths.ts";
import { landRelation } from "./landing/land-relation.ts";
import { sampleEpoch } from "./sample/sample-commerce-sql.ts";
import { writeLandingManifest } from "./landing/manifest.ts";
import { orderItemSchema, orderSchema } from "./schemas/derived-schemas.ts";
import { columnsFromSchema } from "./schemas/duckdb-types.ts";
import type { EntityLanding } from "./source.ts";

/**
 * Carts have no date and no status, so orders are derived from them: `ordered_at` and `status` are a deterministic
 * function of the cart id and the as-of date. Each cart is ordered on a fixed day of a 13-week (91-day) cycle, weighted
 * towards weekends; as-of moves forward, an order keeps its date and ages through its statuses (pending, shipped a day
 * or two later, completed within a week; about 9% cancelled within three days, a few stuck in pending for a week or
 * more, a few never delivered); 91 days after it was placed, the cart id is reused for a new order. So running day
 * after day shows status progressions. Same carts + same as-of = identical rows.
 *
 * `linesRelation` has one row per cart line: cart_id, user_id, line_number, product_id, product_title,
 * unit_price, quantity, line_total, discount_percentage, discounted_line_total.
 */
export async function deriveOrders(
  connection: DuckDBConnection,
  options: { linesRelation: string; asOf: string; source: string; paths: LakePaths; extractedAt: string },
): Promise<EntityLanding[]> {
  const asOf = `date ${quoteLiteral(options.asOf)}`;
  const cycle = 91;
  await connection.run(
    `create or replace temp macro order_rnd(k, salt) as ((hash(hash(k, salt)) >> 11)::double / 9007199254740992.0)`,
  );
  // Day r of the cycle falls on the same weekday in every cycle (91 = 13 weeks): weekends weigh more.
  await connection.run(`create or replace temp table derived_order_days as
    with weighted as (
        select
            range as cycle_day,
            case dayofweek(date '${sampleEpoch}' + range::int) when 6 then 1.30 when 0 then 1.20 when 5 then 1.10 else 1.00 end as weight,
        from range(${cycle})
    )
    select
        cycle_day,
        coalesce(sum(weight) over (order by cycle_day rows between unbounded preceding and 1 preceding), 0)
            / sum(weight) over () as lower_bound,
    from weighted`);
  await connection.run(`create or replace temp view derived_orders as
    with lines as (select * from ${options.linesRelation}),
    carts as (
        select
            cart_id,
            any_value(user_id) as user_id,
            count(*) as line_count,
            sum(quantity) as total_quantity,
            round(sum(line_total), 2) as gross_total,
            round(sum(discounted_line_total), 2) as discounted_total,
            order_rnd(cart_id, 'day') as u_day,
        from lines
        group by cart_id
    ),
    dated as (
        select
            carts.*,
            (((${asOf} - date '${sampleEpoch}') - d.cycle_day) % ${cycle} + ${cycle}) % ${cycle} as days_before,
            order_rnd(cart_id, 'status') as u_status,
            floor(order_rnd(cart_id, 'ship') * 3)::int as ship_age,
            1 + floor(order_rnd(cart_id, 'deliver') * 5)::int as deliver_days,
            floor(order_rnd(cart_id, 'cancel') * 4)::int as cancel_age,
            8 + floor(order_rnd(cart_id, 'stuck') * 10)::int as stuck_days,
        from carts
        asof join derived_order_days d on carts.u_day >= d.lower_bound
    ),
    aged as (
        select
            *,
            ${asOf} - days_before::int + to_seconds((order_rnd(cart_id, 'time') * 86399)::bigint) as ordered_at,
            case when u_status < 0.06 then stuck_days else ship_age end as shipped_age,
        from dated
    )
    select
        cart_id as order_id,
        user_id,
        ordered_at,
        case
            when u_status >= 0.91 then case when days_before >= cancel_age then 'cancelled' else 'pending' end
            when days_before < shipped_age then 'pending'
            when u_status < 0.08 and u_status >= 0.06 then 'shipped'
            when days_before < shipped_age + deliver_days then 'shipped'
            else 'completed'
        end as status,
        line_count,
        total_quantity,
        gross_total,
        discounted_total,
    from aged`);
  const landings: EntityLanding[] = [];
  const target = (entity: string) => landingTarget(options.paths, options.source, entity, options.extractedAt);
  const orderColumns = columnsFromSchema(orderSchema);
  await landRelation(connection, {
    relation: "derived_orders",
    columns: orderColumns,
    orderBy: "order_id",
    target: target("orders"),
  });
  const itemColumns = columnsFromSchema(orderItemSchema);
  await landRelation(connection, {
    relation: `(select cart_id * 1000 + line_number as order_item_id, cart_id as order_id, * exclude (cart_id, user_id) from ${options.linesRelation})`,
    columns: itemColumns,
    // Cart lines come out of the carts Parquet (landed in id order) in order: no sort of millions of rows.
    preserveOrder: true,
    target: target("order_items"),
  });
  for (const [entity, columns, table] of [
    ["orders", orderColumns, `read_parquet(${quoteLiteral(target("orders"))})`],
    ["order_items", itemColumns, `read_parquet(${quoteLiteral(target("order_items"))})`],
  ] as const) {
    const rowCount = Number((await connection.runAndReadAll(`select count(*) from ${table}`)).getRows()[0]?.[0] ?? 0);
    landings.push(
      await writeLandingManifest(
        options.paths,
        {
          source: options.source,
          entity,
          rowCount,
          extractedAt: options.extractedAt,
          asOf: options.asOf,
          driftFields: [],
        },
        columns,
      ),
    );
  }
  await connection.run("drop view if exists derived_orders");
  return landings;
}

/** The cart-lines relation over a landed carts Parquet (DummyJSON's shape). */
export function cartLinesFromParquet(cartsPath: string): string {
  return `(
    select
        cart_id,
        user_id,
        line_number,
        p.id as product_id,
        p.title as product_title,
        p.price as unit_price,
        p.quantity as quantity,
        p.total as line_total,
        p.discountPercentage as discount_percentage,
        p.discountedTotal as discounted_line_total,
    from (
        select id as cart_id, userId as user_id, unnest(range(1, len(products) + 1)) as line_number, unnest(products) as p
        from ${readSnapshotSql(cartsPath)}
    )
)`;
}
