with users as (
    select * from stg_users
),

locations as (
    select * from int_users_cleaned_locations
),

customer_orders as (
    select * from int_customer_orders
),

customer_history as (
    select * from customers_snapshot
),

located as (
    select
        users.user_id,
        users.customer_key,
        users.first_name,
        users.last_name,
        users.email,
        users.phone,
        users.age,
        users.gender,
        locations.city,
        locations.state,
        locations.state_code,
        locations.was_corrected as was_location_corrected,
        false as is_deleted,
    from users
    left join locations using (user_id)
),

-- A customer who left the source stays, flagged, with the last known location: old orders keep resolving. Their
-- natural key is the snapshot's (history written before the snapshot kept it has none: the id as text).
deleted_customers as (
    select
        user_id,
        coalesce(customer_key, cast(user_id as varchar)) as customer_key,
        age,
        gender,
        city,
        state,
        state_code,
        false as was_location_corrected,
        true as is_deleted,
    from customer_history
    where is_current
        and is_deleted
        and user_id not in (select user_id from users)
),

customers as (
    select * from located
    union all by name
    select * from deleted_customers
),

joined as (
    select
        customers.user_id,
        customers.customer_key,
        customers.first_name,
        customers.last_name,
        masked_name(concat_ws(' ', customers.first_name, customers.last_name), customers.user_id) as display_name,
        customers.email,
        customers.phone,
        customers.age,
        customers.gender,
        customers.city,
        customers.state,
        customers.state_code,
        customers.was_location_corrected,
        customers.is_deleted,
        coalesce(customer_orders.order_count, 0) as order_count,
        coalesce(customer_orders.completed_order_count, 0) as completed_order_count,
        customer_orders.first_order_at,
        customer_orders.last_order_at,
        coalesce(customer_orders.lifetime_value_usd, 0) as lifetime_value_usd,
        date_diff('day', cast(customer_orders.last_order_at as date), getvariable('as_of')) as days_since_last_order,
    from customers
    left join customer_orders using (user_id)
),

value_thresholds as (
    select
        quantile_cont(lifetime_value_usd, 0.95) as vip_min_usd,
        quantile_cont(lifetime_value_usd, 0.75) as premium_min_usd,
        quantile_cont(lifetime_value_usd, 0.25) as standard_min_usd,
    from joined
    where lifetime_value_usd > 0
),

final as (
    select
        joined.*,
        case when completed_order_count > 0
            then cast(lifetime_value_usd / completed_order_count as decimal(38, 2))
        end as average_order_value_usd,
        case
            when age is null then 'unknown'
            when age < 25 then '18-24'
            when age < 35 then '25-34'
            when age < 45 then '35-44'
            when age < 55 then '45-54'
            when age < 65 then '55-64'
            else '65+'
        end as age_group,
        case
            when order_count = 0 then 'never'
            when order_count = 1 then 'one-time'
            when order_count <= 3 then 'occasional'
            when order_count <= 9 then 'regular'
            else 'frequent'
        end as order_count_segment,
        case
            when lifetime_value_usd > 0 and lifetime_value_usd >= vip_min_usd then 'VIP'
            when lifetime_value_usd > 0 and lifetime_value_usd >= premium_min_usd then 'premium'
            when lifetime_value_usd > 0 and lifetime_value_usd >= standard_min_usd then 'standard'
            else 'basic'
        end as value_segment,
        case
            when last_order_at is null then 'never ordered'
            when days_since_last_order <= 30 then 'active'
            when days_since_last_order <= 60 then 'cooling'
            when days_since_last_order <= 90 then 'at risk'
            else 'lapsed'
        end as recency_segment,
        order_count > 1 as is_repeat_customer,
    from joined
    cross join value_thresholds
)

select * from final
