-- Admin users of the control plane and their API tokens. Passwords are bcrypt hashes
-- (Spring Security's {bcrypt} prefix format); tokens are stored only as a SHA-256 hash.
create table app_user (
    id            bigserial    primary key,
    username      varchar(64)  not null,
    password_hash varchar(255) not null,
    role          varchar(10)  not null,
    enabled       boolean      not null default true,
    created_at    timestamptz  not null default now(),
    updated_at    timestamptz  not null default now(),
    version       bigint       not null default 0,
    constraint app_user_username_unique unique (username),
    constraint app_user_role_known check (role in ('admin', 'viewer'))
);

create table api_token (
    id           bigserial    primary key,
    user_id      bigint       not null references app_user (id) on delete cascade,
    name         varchar(100) not null,
    token_hash   varchar(64)  not null,
    token_prefix varchar(16)  not null,
    created_at   timestamptz  not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    constraint api_token_hash_unique unique (token_hash)
);

create index api_token_user on api_token (user_id);
