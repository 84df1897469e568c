with order_history as (
    select * from orders_snapshot
),

current_versions as (
    select
        order_id,
        user_id,
        ordered_at,
        status as current_status,
        is_deleted,
    from order_history
    where is_current
),

-- Only the current order on each id: a reused id with another order date is another order.
order_versions as (
    select order_history.*
    from order_history
    inner join current_versions
        on order_history.order_id = current_versions.order_id
        and order_history.ordered_at = current_versions.ordered_at
),

milestones as (
    select
        order_id,
        min(valid_from) as first_seen_on,
        arg_min(status, valid_from) as first_seen_status,
        min(valid_from) filter (where status = 'shipped') as shipped_on,
        min(valid_from) filter (where status = 'completed') as completed_on,
        min(valid_from) filter (where status = 'cancelled') as cancelled_on,
        count(distinct status) as status_count,
    from order_versions
    group by order_id
),

joined as (
    select
        current_versions.*,
        cast(current_versions.ordered_at as date) as order_date,
        milestones.* exclude (order_id),
    from current_versions
    inner join milestones using (order_id)
),

final as (
    select
        order_id,
        user_id,
        ordered_at,
        order_date,
        current_status,
        is_deleted,
        first_seen_on,
        first_seen_status,
        shipped_on,
        completed_on,
        cancelled_on,
        status_count,
        -- A milestone is timed only when it was observed: the order was seen before it in another status, or the
        -- first snapshot was taken on the order day.
        case when completed_on is not null and (first_seen_status <> 'completed' or first_seen_on = order_date)
            then date_diff('day', order_date, completed_on)
        end as days_to_complete,
        case when cancelled_on is not null and (first_seen_status <> 'cancelled' or first_seen_on = order_date)
            then date_diff('day', order_date, cancelled_on)
        end as days_to_cancel,
        date_diff('day', order_date, getvariable('as_of')) as order_age_days,
        current_status = 'pending' and date_diff('day', order_date, getvariable('as_of')) >= 3 as is_stuck_pending,
    from joined
)

select * from final
