with source as (
    select * from raw_users
),

final as (
    select
        id as user_id,
        customer_key,
        trim(address.city) as city,
        trim(address.state) as state,
        upper(trim(address.stateCode)) as state_code,
        address.country as country,
        age,
        lower(gender) as gender,
    from source
)

select * from final
