-- One row per INVITE attempt the edge handled (kamailio/CALL-RECORDS.md), written by the admin
-- service from the Redis stream telpro:v1:calls. Every value a SIP message can carry fits: text
-- columns without a length, indexes on a bounded prefix only (a btree entry has a size limit).
create table call_records (
    id bigserial primary key,
    -- SHA-256 of the edge's record id: the idempotency key of at-least-once delivery
    record_key bytea not null,
    record_id text not null,
    node text not null,
    trunk text,
    src_ip text,
    src_port integer,
    transport text,
    from_user text,
    from_host text,
    to_user text,
    to_host text,
    ruri_user text,
    ruri_host text,
    call_id text,
    ext_call_id text,
    x_call_id text,
    arrived_at timestamptz,
    final_at timestamptz,
    answered_at timestamptz,
    ended_at timestamptz,
    status integer,
    reason text,
    -- answered | unanswered (backend failed, caller cancelled) | refused (by the edge) | dropped
    outcome text,
    -- how many attempts this row stands for: 1, or the count of an aggregated unmatched flood
    attempts integer not null default 1,
    aggregated boolean not null default false,
    stored_at timestamptz not null default now(),
    constraint call_records_record_key_uq unique (record_key)
);

create index call_records_arrived_idx on call_records (arrived_at desc, id desc);
create index call_records_trunk_idx on call_records (trunk, arrived_at desc);
create index call_records_reason_idx on call_records (reason, arrived_at desc);
create index call_records_node_idx on call_records (node, arrived_at desc);
create index call_records_call_id_idx on call_records (left(call_id, 200));
create index call_records_ext_call_id_idx on call_records (left(ext_call_id, 200));
create index call_records_from_user_idx on call_records (left(from_user, 200));
create index call_records_to_user_idx on call_records (left(to_user, 200));
create index call_records_ruri_user_idx on call_records (left(ruri_user, 200));
