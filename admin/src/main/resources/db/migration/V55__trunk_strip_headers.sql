-- Headers the edge removes from a carrier's requests (e.g. P-Asserted-Identity from a carrier not
-- trusted to assert identity); published as strip_headers.
alter table trunk add column strip_headers jsonb not null default '[]';
