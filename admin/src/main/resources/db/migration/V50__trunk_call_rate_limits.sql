-- Calls per second per trunk (0 = unlimited) and what a caller over a limit gets
-- (null: 486 Busy Here for max_concurrent_calls, 503 + Retry-After for max_calls_per_second).
alter table trunk
    add column max_calls_per_second integer not null default 0,
    add column limit_response       integer,
    add constraint trunk_max_cps_range check (max_calls_per_second between 0 and 10000),
    add constraint trunk_limit_response_code check (limit_response in (480, 486, 503));
