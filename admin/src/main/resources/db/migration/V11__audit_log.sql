-- Every change made through the control plane: who, when, from where, what, and the
-- before/after snapshots (secrets masked) with their diff. Append-only: the application only
-- inserts, and the triggers below refuse UPDATE, DELETE and TRUNCATE for everyone else too.
create table audit_log (
    id             bigserial    primary key,
    occurred_at    timestamptz  not null default now(),
    actor          varchar(64)  not null,
    remote_address varchar(64),
    action         varchar(64)  not null,
    target_type    varchar(64)  not null,
    target_id      varchar(255),
    before         jsonb,
    after          jsonb,
    diff           jsonb        not null default '{}'
);

create index audit_log_recent on audit_log (occurred_at desc, id desc);
create index audit_log_actor on audit_log (actor, occurred_at desc);
create index audit_log_action on audit_log (action, occurred_at desc);
create index audit_log_target on audit_log (target_type, target_id, occurred_at desc);

create function audit_log_append_only() returns trigger
    language plpgsql as
$$
begin
    raise exception 'audit_log is append-only: % refused', tg_op;
end;
$$;

create trigger audit_log_no_update_or_delete
    before update or delete on audit_log
    for each row execute function audit_log_append_only();

create trigger audit_log_no_truncate
    before truncate on audit_log
    for each statement execute function audit_log_append_only();
