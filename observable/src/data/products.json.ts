// Product performance: category roll-ups with ratings, rating histogram, sales categories, low-stock alerts.
import { emitJson, withMarts } from "../../lib/loader-kit.ts";

await withMarts(async (q) => {
  const categories = await q(`
    select category, count(*)::integer as products, avg(rating)::double as avg_rating,
        sum(revenue_usd)::double as revenue_usd, sum(units_sold)::integer as units,
        count(*) filter (where stock_status = 'out_of_stock')::integer as out_of_stock,
        count(*) filter (where stock_status = 'low_stock')::integer as low_stock
    from dim_products group by all order by revenue_usd desc`);
  const ratingBins = await q(`
    select category, (floor(rating * 2) / 2)::double as rating_bin, count(*)::integer as products
    from dim_products group by all order by all`);
  const salesCategories = await q(`select category, sales_category, count(*)::integer as products, sum(revenue_usd)::double as revenue_usd from dim_products group by all order by all`);
  const lowStock = await q(`
    with alerts as (
        select product_id, product_title, category, stock_quantity::integer as stock_quantity, days_of_stock::double as days_of_stock,
            daily_sales_rate::double as daily_sales_rate, inventory_health,
            row_number() over (partition by category order by coalesce(days_of_stock, 0), stock_quantity, product_id) as urgency,
        from product_performance
        where inventory_health in ('out of stock', 'critical', 'low')
    )
    select * from alerts where urgency <= 25 order by coalesce(days_of_stock, 0), stock_quantity, product_id`);
  const health = await q(`select category, inventory_health, count(*)::integer as products from product_performance group by all order by all`);
  emitJson("products.json", { categories, ratingBins, salesCategories, lowStock, health });
});
