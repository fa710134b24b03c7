-- Kamailio 5.6's own tables for the registrar, exactly as its kamdbctl scripts create them
-- (standard, auth_db, usrloc), so kamctl could work against the same database. The admin service
-- owns the schema; Kamailio reads subscriber and writes location.
create table version (
    id serial primary key not null,
    table_name varchar(32) not null,
    table_version integer default 0 not null,
    constraint version_table_name_idx unique (table_name)
);

insert into version (table_name, table_version) values ('version', '1');

create table subscriber (
    id serial primary key not null,
    username varchar(64) default '' not null,
    domain varchar(64) default '' not null,
    password varchar(64) default '' not null,
    ha1 varchar(128) default '' not null,
    ha1b varchar(128) default '' not null,
    constraint subscriber_account_idx unique (username, domain)
);

create index subscriber_username_idx on subscriber (username);

insert into version (table_name, table_version) values ('subscriber', '7');

-- We store only the HA1 hashes: the plaintext column Kamailio's schema has stays empty.
alter table subscriber add constraint subscriber_no_plaintext_password check (password = '');

create table location (
    id serial primary key not null,
    ruid varchar(64) default '' not null,
    username varchar(64) default '' not null,
    domain varchar(64) default null,
    contact varchar(512) default '' not null,
    received varchar(128) default null,
    path varchar(512) default null,
    expires timestamp without time zone default '2030-05-28 21:32:15' not null,
    q real default 1.0 not null,
    callid varchar(255) default 'Default-Call-ID' not null,
    cseq integer default 1 not null,
    last_modified timestamp without time zone default '2000-01-01 00:00:01' not null,
    flags integer default 0 not null,
    cflags integer default 0 not null,
    user_agent varchar(255) default '' not null,
    socket varchar(64) default null,
    methods integer default null,
    instance varchar(255) default null,
    reg_id integer default 0 not null,
    server_id integer default 0 not null,
    connection_id integer default 0 not null,
    keepalive integer default 0 not null,
    partition integer default 0 not null,
    constraint location_ruid_idx unique (ruid)
);

create index location_account_contact_idx on location (username, domain, contact);
create index location_expires_idx on location (expires);
create index location_tcpcon_idx on location (connection_id);
create index location_connection_idx on location (server_id, connection_id);

insert into version (table_name, table_version) values ('location', '9');

create table location_attrs (
    id serial primary key not null,
    ruid varchar(64) default '' not null,
    username varchar(64) default '' not null,
    domain varchar(64) default null,
    aname varchar(64) default '' not null,
    atype integer default 0 not null,
    avalue varchar(512) default '' not null,
    last_modified timestamp without time zone default '2000-01-01 00:00:01' not null
);

create index location_attrs_account_record_idx on location_attrs (username, domain, ruid);
create index location_attrs_last_modified_idx on location_attrs (last_modified);

insert into version (table_name, table_version) values ('location_attrs', '1');
