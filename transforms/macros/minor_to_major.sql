-- Stripe sends amounts as integers in the currency's minor unit: cents, or whole yen (exponent 0).
create or replace macro minor_to_major(amount_minor, minor_unit_exponent) as
    cast(amount_minor / 10 ** coalesce(minor_unit_exponent, 2) as decimal(18, 3))
