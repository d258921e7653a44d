-- Portal search reads the match from the GIN index and then only the article rows' small columns
-- (time, visibility, rubric, unit, the headline vector): keep those rows small. The full search
-- vector (about 2 KB for a news article) and the texts are moved out of line as soon as a row
-- passes 256 bytes; the full vector is stored uncompressed (it barely compresses).
alter table articles alter column search set storage external;
alter table articles set (toast_tuple_target = 256);

-- Ranking reads the headline vector (title and lead, a few hundred bytes, kept in the row) rather
-- than the full one: a match in the title or lead ranks an article first, then the newest.
alter table articles add column search_head tsvector generated always as (
  setweight(to_tsvector('indonesian'::regconfig, title), 'A') ||
  setweight(to_tsvector('indonesian'::regconfig, lead), 'B')
) stored;
alter table articles alter column search_head set storage main;
