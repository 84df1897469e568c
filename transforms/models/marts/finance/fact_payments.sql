with charges as (
    select * from stg_stripe_charges
),

refunds as (
    select * from stg_stripe_refunds
),

refunds_per_charge as (
    select
        charge_id,
        sum(amount) as refunded_amount,
        count(*) as refund_count,
        max(created_at) as last_refunded_at,
    from refunds
    where coalesce(status, 'succeeded') in ('succeeded', 'pending')
    group by charge_id
),

final as (
    select
        charges.charge_id,
        charges.order_id,
        charges.customer_id,
        charges.created_at,
        cast(charges.created_at as date) as payment_date,
        charges.currency,
        charges.currency = getvariable('reporting_currency') as is_reporting_currency,
        charges.status,
        charges.is_failed,
        charges.failure_code,
        charges.amount,
        case when charges.is_failed then 0 else charges.captured_amount end as captured_amount,
        coalesce(refunds_per_charge.refunded_amount, 0) as refunded_amount,
        case when charges.is_failed then 0 else charges.captured_amount end
            - coalesce(refunds_per_charge.refunded_amount, 0) as net_amount,
        coalesce(refunds_per_charge.refund_count, 0) as refund_count,
        refunds_per_charge.last_refunded_at,
    from charges
    left join refunds_per_charge using (charge_id)
)

select * from final
