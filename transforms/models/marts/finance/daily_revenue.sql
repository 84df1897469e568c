with orders as (
    select * from stg_orders
),

per_day as (
    select * from int_daily_order_sales
    where category = 'All'
),

payments as (
    select * from fact_payments
),

refunds as (
    select * from stg_stripe_refunds
),

date_spine as (
    select spine_date as order_date
    from day_spine(
        (select coalesce(min(order_date), getvariable('as_of')) from orders),
        getvariable('as_of')
    )
),

payments_per_day as (
    select
        payment_date as order_date,
        sum(captured_amount) filter (where is_reporting_currency) as captured_usd,
        count(*) filter (where is_reporting_currency) as charge_count,
        count(*) filter (where is_reporting_currency and is_failed) as failed_charge_count,
    from payments
    group by payment_date
),

refunds_per_day as (
    select
        cast(created_at as date) as order_date,
        sum(amount) as refunds_usd,
    from refunds
    where currency = getvariable('reporting_currency')
        and coalesce(status, 'succeeded') in ('succeeded', 'pending')
    group by all
),

final as (
    select
        date_spine.order_date,
        coalesce(per_day.order_count, 0) as order_count,
        coalesce(per_day.completed_order_count, 0) as completed_order_count,
        coalesce(per_day.cancelled_order_count, 0) as cancelled_order_count,
        coalesce(per_day.customer_count, 0) as customer_count,
        cast(coalesce(per_day.revenue_usd, 0) as decimal(38, 6)) as revenue_usd,
        cast(coalesce(per_day.gross_revenue_usd, 0) as decimal(38, 6)) as gross_revenue_usd,
        cast(coalesce(per_day.discount_usd, 0) as decimal(38, 6)) as discount_usd,
        coalesce(per_day.units_sold, 0) as units_sold,
        case when per_day.completed_order_count > 0
            then cast(per_day.revenue_usd / per_day.completed_order_count as decimal(38, 2))
        end as average_order_value_usd,
        case when per_day.order_count > 0
            then round(per_day.completed_order_count / per_day.order_count, 4)
        end as completion_rate,
        cast(coalesce(payments_per_day.captured_usd, 0) as decimal(38, 2)) as captured_usd,
        cast(coalesce(refunds_per_day.refunds_usd, 0) as decimal(38, 2)) as refunds_usd,
        cast(coalesce(payments_per_day.captured_usd, 0) - coalesce(refunds_per_day.refunds_usd, 0) as decimal(38, 2)) as net_revenue_usd,
        coalesce(payments_per_day.charge_count, 0) as charge_count,
        coalesce(payments_per_day.failed_charge_count, 0) as failed_charge_count,
        case when payments_per_day.charge_count > 0
            then round(payments_per_day.failed_charge_count / payments_per_day.charge_count, 4)
        end as charge_failure_rate,
    from date_spine
    left join per_day using (order_date)
    left join payments_per_day using (order_date)
    left join refunds_per_day using (order_date)
)

select * from final
