// Customer analytics: segments, demographics, lifetime value, RFM, and top customers (masked names only).
import { emitJson, scopedItems, withMarts } from "../../lib/loader-kit.ts";

await withMarts(async (q) => {
  const count = (column: string) => q(`select ${column} as key, count(*)::integer as customers from dim_customers group by all order by customers desc`);
  const ltvBins = await q(`
    with buyers as (select lifetime_value_usd::double as ltv from dim_customers where lifetime_value_usd > 0),
    edges as (select max(ltv) as top from buyers)
    select floor(least(ltv / top, 0.9999) * 30)::integer as bin, (max(top) / 30)::double as bin_width_usd, count(*)::integer as customers
    from buyers cross join edges group by bin order by bin`);
  const topCustomers = await q(scopedItems(`,
    spend as (
        select range_days, category, user_id, sum(net_amount_usd)::double as spend_usd, count(distinct order_id)::integer as orders
        from both_scopes group by all
    ),
    ranked as (select *, row_number() over (partition by range_days, category order by spend_usd desc, user_id) as spend_rank from spend)
    select ranked.*, c.display_name, c.state_code, c.value_segment
    from ranked join dim_customers c using (user_id)
    where spend_rank <= 10 order by range_days, category, spend_rank`, "items.is_completed"));
  const rfmGrid = await q(`select recency_score, frequency_score, count(*)::integer as customers, avg(monetary_usd)::double as avg_monetary_usd from customer_segmentation group by all order by all`);
  const rfmSegments = await q(`select rfm_segment as key, count(*)::integer as customers, sum(monetary_usd)::double as monetary_usd from customer_segmentation group by all order by customers desc`);
  const repeat = (await q(`
    select count(*) filter (where order_count > 1)::integer as repeat_customers,
           count(*) filter (where order_count = 1)::integer as one_time_customers,
           count(*) filter (where order_count = 0)::integer as never_ordered
    from dim_customers`))[0];
  emitJson("customers.json", {
    valueSegments: await count("value_segment"),
    orderCountSegments: await count("order_count_segment"),
    recencySegments: await count("recency_segment"),
    ageGroups: await count("age_group"),
    genders: await count("gender"),
    states: await q(`select state_code as key, count(*)::integer as customers, sum(lifetime_value_usd)::double as ltv_usd from dim_customers group by all order by customers desc`),
    ltvBins,
    topCustomers,
    rfmGrid,
    rfmSegments,
    repeat,
  });
});
