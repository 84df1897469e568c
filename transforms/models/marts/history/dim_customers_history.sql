with customer_history as (
    select * from customers_snapshot
),

cities as (
    select * from us_cities
),

states as (
    select * from us_states
),

-- As in int_users_cleaned_locations: a US state given as its code reads as its name, a missing code comes from the
-- name, and a city in the reference takes the reference's state.
corrected as (
    select
        customer_history.user_id,
        customer_history.valid_from,
        customer_history.valid_to,
        customer_history.is_current,
        customer_history.is_deleted,
        customer_history.city,
        coalesce(
            cities.state, states_by_code.state, customer_history.state, states_by_state_code.state
        ) as state,
        coalesce(
            cities.state_code, customer_history.state_code, states_by_code.state_code, states_by_name.state_code
        ) as state_code,
        customer_history.country,
        customer_history.age,
        customer_history.gender,
    from customer_history
    left join cities
        on lower(customer_history.city) = lower(cities.city)
    left join states as states_by_code
        on upper(customer_history.state) = states_by_code.state_code
        and coalesce(upper(trim(customer_history.country)), 'US') in ('US', 'USA', 'UNITED STATES', 'UNITED STATES OF AMERICA')
    left join states as states_by_name
        on lower(customer_history.state) = lower(states_by_name.state)
    left join states as states_by_state_code
        on customer_history.state_code = states_by_state_code.state_code
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
