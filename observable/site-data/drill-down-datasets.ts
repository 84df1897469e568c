// One data file per category and per product, for the drill-down pages (categories/[category].md, products/[product].md).
import { columnar } from "./columnar.ts";
import { allCategories, categorySlug } from "./categories.ts";
import type { Query } from "./site-data-kit.ts";

/** Per category: its daily trend, the shop's daily revenue (for its share) and its products (all time). */
export async function categoryDatasets(q: Query): Promise<{ category: string; slug: string; data: unknown }[]> {
  const daily = await q(`
    select strftime(order_date, '%Y-%m-%d') as date, category, revenue_usd::double as revenue_usd,
        units_sold as units, order_count as orders, completed_order_count as completed_orders
    from rpt_daily_sales_by_category order by category, order_date`);
  const products = await q(`
    select category, product_id, product_title, revenue_usd::double as revenue_usd, units_sold as units,
        rating::double as rating, stock_quantity, days_of_stock::double as days_of_stock, inventory_health,
        category_revenue_rank, share_of_category_revenue::double as share_of_category_revenue
    from product_performance order by category, category_revenue_rank, product_id`);
  const shop = daily
    .filter((r) => r["category"] === "All")
    .map((r) => ({ date: r["date"], revenue_usd: r["revenue_usd"] }));
  const names = await allCategories(q);
  return names.map((category) => ({
    category,
    slug: categorySlug(category),
    data: {
      category,
      daily: columnar(daily.filter((r) => r["category"] === category).map(({ category: _c, ...rest }) => rest)),
      shopDaily: columnar(shop),
      products: columnar(products.filter((r) => r["category"] === category).map(({ category: _c, ...rest }) => rest)),
    },
  }));
}

/**
 * Per product, one JSON document built by DuckDB (thousands of products: no row objects in JavaScript), for the
 * products with ids in [fromId, toId] (the caller goes in batches, which keeps DuckDB within its memory limit):
 * the product's figures, its rank in its category, its sales per day and its price history from
 * `product_price_history` (null when the build has no such mart): one compact row
 * [day, list price, discount %, price after discount] for the first version and each version whose list price or
 * discount changed (stock-only versions and the deleted marker are left out), in day order.
 */
export function productDocumentsSql(fromId: number, toId: number, options: { priceHistory: boolean }): string {
  const range = (column: string) => `${column} between ${Math.trunc(fromId)} and ${Math.trunc(toId)}`;
  const prices = options.priceHistory
    ? `
    prices as (
        select product_id,
            list([(valid_from - date '1970-01-01')::double, unit_price_usd::double, discount_percentage::double,
                  round(effective_price_usd, 2)::double] order by valid_from) as price_history
        from (
            select *,
                lag(unit_price_usd) over w as previous_price, lag(discount_percentage) over w as previous_discount
            from product_price_history
            where not is_deleted and ${range("product_id")}
            window w as (partition by product_id order by valid_from)
        )
        where previous_price is null or unit_price_usd <> previous_price
            or discount_percentage is distinct from previous_discount
        group by product_id
    )`
    : `prices as (select null::integer as product_id, null::double[][] as price_history where false)`;
  return `
    with daily as (
        -- one ordered list of compact rows [day, revenue, units, orders] (one sort per product, not four)
        select product_id,
            list([(order_date - date '1970-01-01')::double, revenue_usd::double, units_sold::double,
                  order_count::double] order by order_date) as daily
        from rpt_product_daily_sales where ${range("product_id")} group by product_id
    ),
    ${prices}
    select p.product_id, to_json({
        product_id: p.product_id, product_title: p.product_title, category: p.category, brand: p.brand,
        unit_price_usd: p.unit_price_usd::double, rating: p.rating::double, stock_quantity: p.stock_quantity,
        stock_status: p.stock_status, daily_sales_rate: p.daily_sales_rate, days_of_stock: p.days_of_stock,
        inventory_health: p.inventory_health, revenue_usd: p.revenue_usd::double, units_sold: p.units_sold,
        order_count: p.order_count, category_revenue_rank: p.category_revenue_rank,
        category_product_count: p.category_product_count, share_of_category_revenue: p.share_of_category_revenue,
        as_of: strftime(getvariable('as_of'), '%Y-%m-%d'),
        daily: coalesce(daily.daily, []), price_history: ${options.priceHistory ? "coalesce(prices.price_history, [])" : "null"}
    })::varchar as document
    from product_performance as p left join daily using (product_id) left join prices using (product_id)
    where ${range("p.product_id")}`;
}
