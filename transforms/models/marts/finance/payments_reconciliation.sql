with orders as (
    select * from stg_orders
),

payments as (
    select * from fact_payments
),

per_order as (
    select
        order_id,
        coalesce(sum(captured_amount) filter (where is_reporting_currency), 0) as captured_usd,
        coalesce(sum(refunded_amount) filter (where is_reporting_currency), 0) as refunded_usd,
        count(*) as charge_count,
        count(*) filter (where is_failed) as failed_charge_count,
        count(*) filter (where not is_reporting_currency and not is_failed) as other_currency_charge_count,
    from payments
    where order_id in (select order_id from orders)
    group by order_id
),

in_scope as (
    select
        orders.order_id,
        orders.status as order_status,
        orders.order_amount_usd,
        case when orders.status = 'cancelled' then 0 else orders.order_amount_usd end as expected_amount_usd,
        coalesce(per_order.captured_usd, 0) as captured_usd,
        coalesce(per_order.refunded_usd, 0) as refunded_usd,
        coalesce(per_order.charge_count, 0) as charge_count,
        coalesce(per_order.failed_charge_count, 0) as failed_charge_count,
        coalesce(per_order.other_currency_charge_count, 0) as other_currency_charge_count,
    from orders
    left join per_order using (order_id)
    -- Without a payments source there is nothing to reconcile: no row says "unpaid" for want of data.
    where getvariable('payments_source') <> 'none'
        and (orders.status in ('completed', 'shipped') or per_order.order_id is not null)
),

orders_reconciled as (
    select
        'order-' || order_id as reconciliation_id,
        order_id,
        null::varchar as charge_id,
        order_status,
        order_amount_usd,
        expected_amount_usd,
        captured_usd,
        refunded_usd,
        captured_usd - refunded_usd as net_paid_usd,
        captured_usd - refunded_usd - expected_amount_usd as difference_usd,
        charge_count,
        failed_charge_count,
        other_currency_charge_count,
        case
            when other_currency_charge_count > 0 and captured_usd = 0 then 'other currency'
            when captured_usd = 0 and expected_amount_usd > 0 then 'unpaid'
            when abs(captured_usd - refunded_usd - expected_amount_usd) <= 0.01 then 'matched'
            when captured_usd - refunded_usd < expected_amount_usd then 'underpaid'
            else 'overpaid'
        end as reconciliation_status,
    from in_scope
),

payments_without_order as (
    select
        'charge-' || charge_id as reconciliation_id,
        order_id,
        charge_id,
        null::varchar as order_status,
        null::decimal(38, 6) as order_amount_usd,
        0 as expected_amount_usd,
        case when is_reporting_currency then captured_amount else 0 end as captured_usd,
        case when is_reporting_currency then refunded_amount else 0 end as refunded_usd,
        case when is_reporting_currency then net_amount else 0 end as net_paid_usd,
        case when is_reporting_currency then net_amount else 0 end as difference_usd,
        1 as charge_count,
        0 as failed_charge_count,
        case when is_reporting_currency then 0 else 1 end as other_currency_charge_count,
        'payment without order' as reconciliation_status,
    from payments
    where not is_failed
        and (order_id is null or order_id not in (select order_id from orders))
),

final as (
    select * from orders_reconciled
    union all by name
    select * from payments_without_order
)

select * from final
