-- Call records written by Kamailio's acc module (db_postgres) when kamailio.cfg runs with
-- WITH_ACC_DB. Standard Kamailio 5.6 acc / missed_calls columns plus the db_extra columns
-- named in kamailio.cfg (modparam acc db_extra); the names must stay in step with it.
--   acc          : one row per call start (200 to INVITE), call end (BYE) and failed INVITE
--                  (final status >= 300, including the edge's own 486 / 403 / 503 after
--                  a trunk was identified)
--   missed_calls : one row per INVITE that got no 2xx

CREATE TABLE acc (
    id          SERIAL PRIMARY KEY NOT NULL,
    method      VARCHAR(16)  NOT NULL DEFAULT '',
    from_tag    VARCHAR(128) NOT NULL DEFAULT '',
    to_tag      VARCHAR(128) NOT NULL DEFAULT '',
    callid      VARCHAR(255) NOT NULL DEFAULT '',
    sip_code    VARCHAR(3)   NOT NULL DEFAULT '',
    sip_reason  VARCHAR(128) NOT NULL DEFAULT '',
    time        TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    trunk       VARCHAR(128),
    ext_call_id VARCHAR(255),
    x_call_id   VARCHAR(64),
    src_user    VARCHAR(128),
    src_domain  VARCHAR(255),
    src_ip      VARCHAR(64),
    dst_user    VARCHAR(128),
    dst_domain  VARCHAR(255),
    dst_ouser   VARCHAR(128)
);
CREATE INDEX acc_callid_idx ON acc (callid);
CREATE INDEX acc_trunk_time_idx ON acc (trunk, time);

CREATE TABLE missed_calls (
    id          SERIAL PRIMARY KEY NOT NULL,
    method      VARCHAR(16)  NOT NULL DEFAULT '',
    from_tag    VARCHAR(128) NOT NULL DEFAULT '',
    to_tag      VARCHAR(128) NOT NULL DEFAULT '',
    callid      VARCHAR(255) NOT NULL DEFAULT '',
    sip_code    VARCHAR(3)   NOT NULL DEFAULT '',
    sip_reason  VARCHAR(128) NOT NULL DEFAULT '',
    time        TIMESTAMP WITHOUT TIME ZONE NOT NULL,
    trunk       VARCHAR(128),
    ext_call_id VARCHAR(255),
    x_call_id   VARCHAR(64),
    src_user    VARCHAR(128),
    src_domain  VARCHAR(255),
    src_ip      VARCHAR(64),
    dst_user    VARCHAR(128),
    dst_domain  VARCHAR(255),
    dst_ouser   VARCHAR(128)
);
CREATE INDEX missed_calls_callid_idx ON missed_calls (callid);
