with source as (
    select * from raw_stripe_invoice_lines
),

currencies as (
    select * from currencies
),

final as (
    select
        source.id as invoice_line_id,
        source.invoice_id,
        lower(source.currency) as currency,
        minor_to_major(source.amount, currencies.minor_unit_exponent) as amount,
        source.quantity,
        source.description,
        to_timestamp(source.period.start)::timestamp as period_start_at,
        to_timestamp(source.period."end")::timestamp as period_end_at,
    from source
    left join currencies
        on lower(source.currency) = currencies.currency
)

select * from final
