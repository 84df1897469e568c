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
        cast(source.amount_due / 10 ** coalesce(currencies.minor_unit_exponent, 2) as decimal(18, 3)) as amount_due,
        cast(source.amount_paid / 10 ** coalesce(currencies.minor_unit_exponent, 2) as decimal(18, 3)) as amount_paid,
        cast(source.amount_remaining / 10 ** coalesce(currencies.minor_unit_exponent, 2) as decimal(18, 3)) as amount_remaining,
        to_timestamp(source.created)::timestamp as created_at,
        to_timestamp(source.due_date)::timestamp as due_at,
    from source
    left join currencies
        on lower(source.currency) = currencies.currency
)

select * from final
