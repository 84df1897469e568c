with source as (
    select * from raw_users
),

renamed as (
    select
        id as user_id,
        customer_key,
        firstName as first_name,
        lastName as last_name,
        email,
        phone,
        username,
        age,
        lower(gender) as gender,
        cast(try_strptime(birthDate, '%Y-%m-%d') as date) as birth_date,
        address.address as street_address,
        trim(address.city) as city,
        trim(address.state) as state,
        upper(trim(address.stateCode)) as state_code,
        address.postalCode as postal_code,
        address.country as country,
        address.coordinates.lat as latitude,
        address.coordinates.lng as longitude,
        role,
        company.department as company_department,
    from source
),

final as (
    select * from renamed
)

select * from final
