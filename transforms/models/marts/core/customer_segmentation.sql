with orders as (
    select * from stg_orders
),

customers as (
    select
        user_id,
        date_diff('day', max(order_date), getvariable('as_of')) as recency_days,
        count(*) as frequency_count,
        sum(order_amount_usd) as monetary_usd,
    from orders
    where is_completed
    group by user_id
),

scored as (
    select
        *,
        ntile(5) over (order by recency_days desc, user_id) as recency_score,
        ntile(5) over (order by frequency_count, user_id) as frequency_score,
        ntile(5) over (order by monetary_usd, user_id) as monetary_score,
    from customers
),

final as (
    select
        user_id,
        recency_days,
        frequency_count,
        cast(monetary_usd as decimal(38, 6)) as monetary_usd,
        recency_score,
        frequency_score,
        monetary_score,
        recency_score::varchar || frequency_score::varchar || monetary_score::varchar as rfm_code,
        case
            when recency_score >= 4 and frequency_score >= 4 and monetary_score >= 4 then 'champions'
            when recency_score = 1 and frequency_score >= 4 then 'cannot lose them'
            when recency_score >= 3 and frequency_score >= 4 then 'loyal'
            when recency_score >= 4 and frequency_score = 1 then 'new customers'
            when recency_score >= 4 then 'potential loyalists'
            when recency_score <= 2 and frequency_score >= 3 then 'at risk'
            when recency_score <= 2 then 'hibernating'
            else 'needs attention'
        end as rfm_segment,
    from scored
)

select * from final
