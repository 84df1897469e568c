-- One row per calendar day from first_day to last_day, both included, so days without orders still show.
create or replace macro day_spine(first_day, last_day) as table
    select cast(spine.day as date) as spine_date
    from range(first_day, last_day + 1, interval 1 day) as spine(day)
