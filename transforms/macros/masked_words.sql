-- Words separated by single spaces (see masked_name): the first word and the last one's initial, or one word's
-- initial.
create or replace macro masked_words(words) as
    case
        when contains(words, ' ') then split_part(words, ' ', 1) || ' ' || upper(left(split_part(words, ' ', -1), 1)) || '.'
        else upper(left(words, 1)) || '.'
    end
