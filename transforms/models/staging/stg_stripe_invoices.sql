with source as (
    select * from raw_stripe_invoices
),

currencies as (
    select * from currencies
),

final as (
    select
        source.id as invoice_id,
        source.number as invoice_number,
        source.customer as customer_id,
        try_cast(json_extract_string(source.metadata, '$.order_id') as bigint) as order_id,
        source.status,
        lower(source.currency) as currency,
        minor_to_major(source.amount_due, currencies.minor_unit_exponent) as amount_due,
        minor_to_major(source.amount_paid, currencies.minor_unit_exponent) as amount_paid,
        minor_to_major(source.amount_remaining, currencies.minor_unit_exponent) as amount_remaining,
        to_timestamp(source.created)::timestamp as created_at,
        to_timestamp(source.due_date)::timestamp as due_at,
    from source
    left join currencies
        on lower(source.currency) = currencies.currency
)

select * from final
