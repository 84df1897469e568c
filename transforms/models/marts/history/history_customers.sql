-- The customers snapshot's full history as known on the build's as-of day: the copy the warehouse keeps, from which a
-- lake that lost data/history is restored.
with snapshot as (
    select * from customers_snapshot
),

final as (
    select * from snapshot
)

select * from final
