-- The customers snapshot's full history as known on the build's as-of day: the copy the warehouse keeps, from which a
-- lake that lost data/history is restored.
with snapshot as (
    select * from customers_snapshot
),

-- customer_key (personal data: may be an email) stays in the lake: published here it would be hashed, and a lake
-- restored from the hash could not use it (restored versions read it as null; the next day fills the open ones).
final as (
    select * exclude (customer_key) from snapshot
)

select * from final
