with customer_history as (
    select * from customers_snapshot
),

locations as (
    select * from int_cleaned_locations
),

-- The state and code of each version's location, cleaned as the users' are (int_cleaned_locations).
corrected as (
    select
        customer_history.user_id,
        customer_history.valid_from,
        customer_history.valid_to,
        customer_history.is_current,
        customer_history.is_deleted,
        customer_history.city,
        locations.state,
        locations.state_code,
        customer_history.country,
        customer_history.age,
        customer_history.gender,
    from customer_history
    left join locations
        on customer_history.city is not distinct from locations.city
        and customer_history.state is not distinct from locations.original_state
        and customer_history.state_code is not distinct from locations.original_state_code
        and customer_history.country is not distinct from locations.country
),

versioned as (
    select
        *,
        row_number() over customer_versions as version_number,
        lag(city) over customer_versions as previous_city,
        lag(state) over customer_versions as previous_state,
    from corrected
    window customer_versions as (partition by user_id order by valid_from)
),

final as (
    select
        user_id,
        version_number,
        valid_from,
        valid_to,
        is_current,
        is_deleted,
        city,
        state,
        state_code,
        country,
        age,
        gender,
        previous_city,
        previous_state,
        version_number > 1
            and (city is distinct from previous_city or state is distinct from previous_state) as is_move,
        days_in_effect(valid_from, valid_to) as days_in_effect,
    from versioned
)

select * from final
