-- A name safe to show: the first given name and the last name's initial ("Emily J."), never a full name, an
-- email or a phone. "Last, First" reads as "First Last"; one word is its initial ("M."); a value with an @, or
-- mostly digits (a phone, an id), or no letter at all is a neutral "Customer <id>"; no name at all is null.
-- (Nested CASEs, not lists or lambdas: this runs once per customer, millions of times.)
create or replace macro masked_name(full_name, customer_id) as
    case
        when trim(coalesce(full_name, '')) = '' then null
        when contains(full_name, '@')
            or not regexp_matches(full_name, '\pL')
            or case when regexp_matches(full_name, '[0-9]')
                then 2 * length(regexp_replace(full_name, '[^0-9]', '', 'g'))
                    >= length(regexp_replace(full_name, '\s', '', 'g'))
                else false
            end
            then 'Customer ' || customer_id
        when contains(full_name, ',')
            then masked_words(trim(regexp_replace(
                substr(full_name, strpos(full_name, ',') + 1) || ' ' || split_part(full_name, ',', 1),
                '[\s,]+', ' ', 'g'
            )))
        else masked_words(trim(full_name))
    end
