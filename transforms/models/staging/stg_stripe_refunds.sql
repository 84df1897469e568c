with source as (
    select * from raw_stripe_refunds
),

currencies as (
    select * from currencies
),

final as (
    select
        source.id as refund_id,
        source.charge as charge_id,
        to_timestamp(source.created)::timestamp as created_at,
        lower(source.currency) as currency,
        source.amount as amount_minor,
        minor_to_major(source.amount, currencies.minor_unit_exponent) as amount,
        source.status,
        source.reason,
    from source
    left join currencies
        on lower(source.currency) = currencies.currency
)

select * from final
