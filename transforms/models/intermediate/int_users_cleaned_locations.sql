with users as (
    select * from stg_users
),

cities as (
    select * from us_cities
),

matched as (
    select
        users.user_id,
        users.city,
        users.state as original_state,
        users.state_code as original_state_code,
        cities.state as reference_state,
        cities.state_code as reference_state_code,
    from users
    left join cities
        on lower(users.city) = lower(cities.city)
),

final as (
    select
        user_id,
        city,
        original_state,
        original_state_code,
        coalesce(reference_state, original_state) as state,
        coalesce(reference_state_code, original_state_code) as state_code,
        reference_state is not null
            and (original_state is distinct from reference_state
                or original_state_code is distinct from reference_state_code) as was_corrected,
        reference_state is not null as is_known_city,
    from matched
)

select * from final
