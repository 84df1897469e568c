// Customer analytics and product performance: snapshots of the dimension marts and the top customers per preset.
import { columnar } from "./columnar.ts";
import type { Query } from "./site-data-kit.ts";

/** Segments, demographics, lifetime value, RFM and the top customers per preset (masked names only). */
export async function customersDataset(q: Query) {
  const count = (column: string) =>
    q(
      `select ${column} as key, count(*)::integer as customers from dim_customers group by all order by customers desc`,
    );
  const ltvBins = await q(`
    with buyers as (select lifetime_value_usd::double as ltv from dim_customers where lifetime_value_usd > 0),
    edges as (select max(ltv) as top from buyers)
    select floor(least(ltv / top, 0.9999) * 30)::integer as bin, (max(top) / 30)::double as bin_width_usd,
        count(*)::integer as customers
    from buyers cross join edges group by bin order by bin`);
  const topCustomers = await q(`
    select period_key, category, spend_rank, user_id, display_name, state_code, value_segment,
        spend_usd::double as spend_usd, order_count as orders
    from rpt_top_customers order by period_key, category, spend_rank`);
  const repeat = (
    await q(`
    select count(*) filter (where order_count > 1)::integer as repeat_customers,
           count(*) filter (where order_count = 1)::integer as one_time_customers,
           count(*) filter (where order_count = 0)::integer as never_ordered
    from dim_customers`)
  )[0];
  return {
    valueSegments: await count("value_segment"),
    orderCountSegments: await count("order_count_segment"),
    ageGroups: await count("age_group"),
    genders: await count("gender"),
    states:
      await q(`select state_code as key, count(*)::integer as customers, sum(lifetime_value_usd)::double as ltv_usd
      from dim_customers group by all order by customers desc`),
    ltvBins,
    topCustomers: columnar(topCustomers),
    rfmGrid: await q(`select recency_score, frequency_score, count(*)::integer as customers
      from customer_segmentation group by all order by all`),
    rfmSegments:
      await q(`select rfm_segment as key, count(*)::integer as customers, sum(monetary_usd)::double as monetary_usd
      from customer_segmentation group by all order by customers desc`),
    repeat,
  };
}

/** Category roll-ups with ratings, rating histogram, sales categories, low-stock alerts. */
export async function productsDataset(q: Query) {
  const categories = await q(`
    select category, count(*)::integer as products, avg(rating)::double as avg_rating,
        sum(revenue_usd)::double as revenue_usd, sum(units_sold)::integer as units,
        count(*) filter (where stock_status = 'out_of_stock')::integer as out_of_stock,
        count(*) filter (where stock_status = 'low_stock')::integer as low_stock
    from dim_products group by all order by revenue_usd desc`);
  const ratingBins = await q(`
    select category, (floor(rating * 2) / 2)::double as rating_bin, count(*)::integer as products
    from dim_products group by all order by all`);
  const salesCategories = await q(`select category, sales_category, count(*)::integer as products
    from dim_products group by all order by all`);
  const lowStock = await q(`
    with alerts as (
        select product_id, product_title, category, stock_quantity::integer as stock_quantity,
            days_of_stock::double as days_of_stock, daily_sales_rate::double as daily_sales_rate, inventory_health,
            row_number() over (partition by category order by coalesce(days_of_stock, 0), stock_quantity, product_id) as urgency,
        from product_performance
        where inventory_health in ('out of stock', 'critical', 'low')
    )
    select * exclude (urgency) from alerts where urgency <= 25 order by coalesce(days_of_stock, 0), stock_quantity, product_id`);
  return { categories, ratingBins, salesCategories, lowStock };
}
