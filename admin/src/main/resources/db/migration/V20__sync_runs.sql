-- One row per "Sync All to Redis": the history the Admin Tools tab shows. Syncing never touches
-- the trunk rows; what is live is read from Redis itself.
create table sync_run (
    id           bigserial    primary key,
    started_at   timestamptz  not null,
    actor        varchar(100),
    outcome      varchar(10)  not null,
    generation   bigint,
    trunks       integer      not null,
    content_hash varchar(64),
    duration_ms  bigint       not null,
    error        varchar(1000),
    constraint sync_run_outcome check (outcome in ('success', 'failure'))
);

create index sync_run_latest on sync_run (started_at desc);
