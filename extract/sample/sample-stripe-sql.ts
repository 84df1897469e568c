import { quoteLiteral } from "../../cli/core/duckdb.ts";

/**
 * Stripe-shaped charges, refunds, invoices and invoice lines for the sample orders, so reconciliation,
 * refund and failure figures mean something offline. Completed and shipped orders are paid, except about
 * 2% (orders with no payment); about 5% had a failed attempt first; about 6% are partly and 1% fully
 * refunded; about 1% are under- and 1% overpaid; 2% are paid in JPY from a Japanese storefront; a few
 * charges have no order. Orders of $1,000 or more also get an invoice with one line per order item.
 * Uses the `rnd` macro of the sample generator.
 */
export function sampleStripeSql(ordersPath: string, itemsPath: string, asOf: string) {
  const orders = `read_parquet(${quoteLiteral(ordersPath)})`;
  const endOfAsOf = `epoch(date ${quoteLiteral(asOf)} + 1)::bigint - 1`;
  const paid = `
    select *,
        rnd(order_id, 'pay') as u_pay,
        rnd(order_id, 'currency') as u_currency,
        rnd(order_id, 'refund') as u_refund,
        epoch(ordered_at)::bigint + 60 + floor(rnd(order_id, 'delay') * 600)::bigint as charged_at,
    from ${orders}
    where status in ('completed', 'shipped')`;
  const charges = `(
    with paid as (${paid}),
    succeeded as (
        select *,
            case when u_currency < 0.02 then 'jpy' else 'usd' end as currency,
            case
                when u_currency < 0.02 then round(discounted_total * 150)::bigint
                -- Underpaid by $5, or by half an order under $10: never a negative or zero charge.
                when u_pay < 0.03 then round(discounted_total * 100)::bigint
                    - least(500, round(discounted_total * 50)::bigint)
                when u_pay < 0.04 then round(discounted_total * 100)::bigint + 300
                else round(discounted_total * 100)::bigint
            end as amount,
        from paid
        where u_pay >= 0.02
    ),
    refunded as (
        select *,
            case when u_refund < 0.01 then amount
                 when u_refund < 0.07 then round(amount * (0.2 + 0.3 * rnd(order_id, 'refund_share')))::bigint
                 else 0 end as amount_refunded,
        from succeeded
    ),
    ok as (
        select 'ch_' || lpad(order_id::varchar, 10, '0') || 'S' as id, amount, amount as amount_captured, amount_refunded,
            true as captured, charged_at as created, currency, 'cus_' || user_id as customer, null as failure_code, null as failure_message,
            json_object('order_id', order_id::varchar) as metadata, true as paid, amount_refunded = amount as refunded, 'succeeded' as status,
        from refunded
    ),
    failed as (
        select 'ch_' || lpad(order_id::varchar, 10, '0') || 'F' as id, round(discounted_total * 100)::bigint as amount, 0 as amount_captured, 0 as amount_refunded,
            false as captured, charged_at - 120 as created, 'usd' as currency, 'cus_' || user_id as customer,
            ['card_declined', 'insufficient_funds', 'expired_card', 'incorrect_cvc'][1 + floor(rnd(order_id, 'failure') * 4)::int] as failure_code,
            'Your card was declined.' as failure_message, json_object('order_id', order_id::varchar) as metadata, false as paid, false as refunded, 'failed' as status,
        from paid
        where rnd(order_id, 'failed_first') < 0.05
    ),
    orphans as (
        select 'ch_orphan_' || lpad(range::varchar, 6, '0') as id, (1000 + floor(rnd(range, 'orphan') * 20000))::bigint as amount,
            (1000 + floor(rnd(range, 'orphan') * 20000))::bigint as amount_captured, 0 as amount_refunded, true as captured,
            ${endOfAsOf} - floor(rnd(range, 'orphan_at') * 80 * 86400)::bigint as created, 'usd' as currency, null as customer, null as failure_code, null as failure_message,
            case when range % 2 = 0 then '{}'::json else json_object('order_id', (900000000 + range)::varchar) end as metadata,
            true as paid, false as refunded, 'succeeded' as status,
        from range((select greatest(2, count(*) // 500) from ${orders}))
    )
    select *, 'charge' as object, 'txn_' || id as balance_transaction, 'Order payment' as description, null as payment_intent
    from (select * from ok union all by name select * from failed union all by name select * from orphans)
)`;
  const refunds = `(
    select 're_' || substr(id, 4) as id, 'refund' as object, amount_refunded as amount, id as charge,
        least(created + (1 + floor(rnd(hash(id), 'refund_after') * 10)::bigint) * 86400, ${endOfAsOf}) as created, currency, metadata, null as payment_intent,
        ['requested_by_customer', 'duplicate', 'fraudulent'][1 + floor(rnd(hash(id), 'reason') * 3)::int] as reason, 'succeeded' as status,
    from ${charges}
    where amount_refunded > 0
)`;
  const invoiced = `(select * from ${orders} where discounted_total >= 1000 and status in ('completed', 'shipped'))`;
  const invoices = `(
    select 'in_' || lpad(order_id::varchar, 10, '0') as id, 'invoice' as object,
        round(discounted_total * 100)::bigint as amount_due,
        case when status = 'completed' then round(discounted_total * 100)::bigint else 0 end as amount_paid,
        case when status = 'completed' then 0 else round(discounted_total * 100)::bigint end as amount_remaining,
        epoch(ordered_at)::bigint as created, 'usd' as currency, 'cus_' || user_id as customer, epoch(ordered_at)::bigint + 30 * 86400 as due_date,
        json_object('order_id', order_id::varchar) as metadata, 'DM-' || order_id as number, epoch(ordered_at)::bigint as period_end, epoch(ordered_at)::bigint as period_start,
        case when status = 'completed' then 'paid' else 'open' end as status,
        round(discounted_total * 100)::bigint as subtotal, round(discounted_total * 100)::bigint as total,
    from ${invoiced}
)`;
  const invoiceLines = `(
    select 'il_' || i.order_item_id as id, 'in_' || lpad(i.order_id::varchar, 10, '0') as invoice_id, round(i.discounted_line_total * 100)::bigint as amount, 'usd' as currency,
        i.product_title as description, i.quantity, {'start': epoch(o.ordered_at)::bigint, 'end': epoch(o.ordered_at)::bigint} as period, '{}'::json as metadata,
    from read_parquet(${quoteLiteral(itemsPath)}) i join ${invoiced} o using (order_id)
)`;
  return {
    stripe_charges: charges,
    stripe_refunds: refunds,
    stripe_invoices: invoices,
    stripe_invoice_lines: invoiceLines,
  };
}
