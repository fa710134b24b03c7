-- Kamailio 5.6's acc and missed_calls tables (acc-create.sql) plus the db_extra columns that
-- kamailio.cfg writes: which trunk carried the call and the carrier's own call id.
create table acc (
    id serial primary key not null,
    method varchar(16) default '' not null,
    from_tag varchar(128) default '' not null,
    to_tag varchar(128) default '' not null,
    callid varchar(255) default '' not null,
    sip_code varchar(3) default '' not null,
    sip_reason varchar(128) default '' not null,
    time timestamp without time zone not null,
    trunk varchar(100),
    ext_call_id varchar(255),
    x_call_id varchar(64),
    src_user varchar(64),
    src_domain varchar(128),
    src_ip varchar(64),
    dst_user varchar(64),
    dst_domain varchar(128),
    dst_ouser varchar(64)
);

create index acc_callid_idx on acc (callid);
create index acc_trunk_time_idx on acc (trunk, time);

insert into version (table_name, table_version) values ('acc', '5');

create table missed_calls (
    id serial primary key not null,
    method varchar(16) default '' not null,
    from_tag varchar(128) default '' not null,
    to_tag varchar(128) default '' not null,
    callid varchar(255) default '' not null,
    sip_code varchar(3) default '' not null,
    sip_reason varchar(128) default '' not null,
    time timestamp without time zone not null,
    trunk varchar(100),
    ext_call_id varchar(255),
    x_call_id varchar(64),
    src_user varchar(64),
    src_domain varchar(128),
    src_ip varchar(64),
    dst_user varchar(64),
    dst_domain varchar(128),
    dst_ouser varchar(64)
);

create index missed_calls_callid_idx on missed_calls (callid);
create index missed_calls_trunk_time_idx on missed_calls (trunk, time);

insert into version (table_name, table_version) values ('missed_calls', '4');
