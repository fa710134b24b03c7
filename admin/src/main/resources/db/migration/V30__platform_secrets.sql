-- Platform secrets: PEM material uploaded by an operator (CA certificates today; the edge's
-- server certificate and key can follow). The material is stored only as ciphertext (jasypt, see
-- SecretCipher); the columns beside it are public certificate metadata for lists and the sync.
create table platform_secret (
    id                  bigserial primary key,
    name                varchar(100)  not null,
    purpose             varchar(30)   not null,
    material_encrypted  text          not null,
    subject             varchar(2000),
    issuer              varchar(2000),
    serial_number       varchar(100),
    not_before          timestamptz,
    not_after           timestamptz,
    fingerprint_sha256  varchar(64),
    key_algorithm       varchar(20),
    created_at          timestamptz   not null default now(),
    version             bigint        not null default 0,
    constraint platform_secret_name_unique unique (name)
);

create index platform_secret_purpose on platform_secret (purpose, name);

-- A trunk's CA must exist while the trunk names it: the service answers 409 first, this is the
-- backstop for a concurrent delete.
alter table trunk
    add constraint trunk_tls_ca_secret_fk foreign key (tls_ca_secret_id) references platform_secret (id);
