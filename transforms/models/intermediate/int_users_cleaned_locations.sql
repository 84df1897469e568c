with users as (
    select * from stg_users
),

locations as (
    select * from int_cleaned_locations
),

final as (
    select
        users.user_id,
        users.city,
        users.state as original_state,
        users.state_code as original_state_code,
        locations.state,
        locations.state_code,
        locations.was_corrected,
        locations.is_known_city,
    from users
    left join locations
        on users.city is not distinct from locations.city
        and users.state is not distinct from locations.original_state
        and users.state_code is not distinct from locations.original_state_code
        and users.country is not distinct from locations.country
)

select * from final
