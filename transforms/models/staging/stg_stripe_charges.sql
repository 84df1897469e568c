with source as (
    select * from raw_stripe_charges
),

currencies as (
    select * from currencies
),

renamed as (
    select
        source.id as charge_id,
        try_cast(json_extract_string(source.metadata, '$.order_id') as bigint) as order_id,
        to_timestamp(source.created)::timestamp as created_at,
        lower(source.currency) as currency,
        coalesce(currencies.minor_unit_exponent, 2) as minor_unit_exponent,
        source.amount as amount_minor,
        source.amount_captured as captured_amount_minor,
        source.amount_refunded as refunded_amount_minor,
        source.status,
        source.status = 'failed' as is_failed,
        source.paid as is_paid,
        source.captured as is_captured,
        source.failure_code,
        source.customer as customer_id,
    from source
    left join currencies
        on lower(source.currency) = currencies.currency
),

final as (
    select
        *,
        minor_to_major(amount_minor, minor_unit_exponent) as amount,
        minor_to_major(captured_amount_minor, minor_unit_exponent) as captured_amount,
    from renamed
)

select * from final
