with product_history as (
    select * from products_snapshot
),

versioned as (
    select
        *,
        row_number() over product_versions as version_number,
        lag(unit_price_usd) over product_versions as previous_unit_price_usd,
        lag(stock_quantity) over product_versions as previous_stock_quantity,
    from product_history
    window product_versions as (partition by product_id order by valid_from)
),

final as (
    select
        product_id,
        version_number,
        valid_from,
        valid_to,
        is_current,
        is_deleted,
        product_title,
        category,
        unit_price_usd,
        discount_percentage,
        cast(unit_price_usd * (1 - discount_percentage / 100) as decimal(18, 6)) as effective_price_usd,
        stock_quantity,
        availability_status,
        stock_quantity > 0 as is_in_stock,
        previous_unit_price_usd,
        case when previous_unit_price_usd > 0
            then round(cast((unit_price_usd - previous_unit_price_usd) / previous_unit_price_usd * 100 as double), 2)
        end as price_change_pct,
        coalesce(unit_price_usd <> previous_unit_price_usd, false) as is_price_change,
        coalesce(stock_quantity = 0 and previous_stock_quantity > 0, false) as is_stock_out,
        days_in_effect(valid_from, valid_to) as days_in_effect,
    from versioned
)

select * from final
