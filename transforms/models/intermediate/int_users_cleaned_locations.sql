with users as (
    select * from stg_users
),

cities as (
    select * from us_cities
),

states as (
    select * from us_states
),

-- A US state given as its code (Shopify's Province, WooCommerce's state: MA) reads as its name, and a missing code
-- is filled from the name, so one state is one value whether or not the city is in the reference.
given as (
    select
        users.user_id,
        users.city,
        users.state as original_state,
        users.state_code as original_state_code,
        coalesce(states_by_code.state, users.state, states_by_state_code.state) as given_state,
        coalesce(users.state_code, states_by_code.state_code, states_by_name.state_code) as given_state_code,
    from users
    left join states as states_by_code
        on upper(users.state) = states_by_code.state_code
        and coalesce(upper(trim(users.country)), 'US') in ('US', 'USA', 'UNITED STATES', 'UNITED STATES OF AMERICA')
    left join states as states_by_name
        on lower(users.state) = lower(states_by_name.state)
    left join states as states_by_state_code
        on users.state_code = states_by_state_code.state_code
),

matched as (
    select
        given.*,
        cities.state as reference_state,
        cities.state_code as reference_state_code,
    from given
    left join cities
        on lower(given.city) = lower(cities.city)
),

final as (
    select
        user_id,
        city,
        original_state,
        original_state_code,
        coalesce(reference_state, given_state) as state,
        coalesce(reference_state_code, given_state_code) as state_code,
        reference_state is not null
            and (given_state is distinct from reference_state
                or given_state_code is distinct from reference_state_code) as was_corrected,
        reference_state is not null as is_known_city,
    from matched
)

select * from final
