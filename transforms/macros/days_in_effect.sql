-- A version is in effect from valid_from up to valid_to (exclusive); an open version up to the as-of day.
create or replace macro days_in_effect(valid_from, valid_to) as
    date_diff('day', valid_from, coalesce(valid_to, getvariable('as_of') + 1))
