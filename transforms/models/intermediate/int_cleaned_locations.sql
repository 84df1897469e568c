with users as (
    select * from stg_users
),

customer_history as (
    select * from customers_snapshot
),

cities as (
    select * from us_cities
),

states as (
    select * from us_states
),

-- Every location as given, by the users now and by the customers' past versions.
locations as (
    select city, state, state_code, country from users
    union
    select city, state, state_code, country from customer_history
),

-- A US state given as its code (Shopify's Province, WooCommerce's state: MA) reads as its name, and a missing code
-- is filled from the name, so one state is one value whether or not the city is in the reference.
given as (
    select
        locations.city,
        locations.state as original_state,
        locations.state_code as original_state_code,
        locations.country,
        coalesce(states_by_code.state, locations.state, states_by_state_code.state) as given_state,
        coalesce(locations.state_code, states_by_code.state_code, states_by_name.state_code) as given_state_code,
    from locations
    left join states as states_by_code
        on upper(locations.state) = states_by_code.state_code
        and coalesce(upper(trim(locations.country)), 'US') in ('US', 'USA', 'UNITED STATES', 'UNITED STATES OF AMERICA')
    left join states as states_by_name
        on lower(locations.state) = lower(states_by_name.state)
    left join states as states_by_state_code
        on locations.state_code = states_by_state_code.state_code
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
        city,
        original_state,
        original_state_code,
        country,
        coalesce(reference_state, given_state) as state,
        coalesce(reference_state_code, given_state_code) as state_code,
        reference_state is not null
            and (given_state is distinct from reference_state
                or given_state_code is distinct from reference_state_code) as was_corrected,
        reference_state is not null as is_known_city,
    from matched
)

select * from final
