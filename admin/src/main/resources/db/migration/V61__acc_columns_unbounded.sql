-- acc's own tables (WITH_ACC_DB, a secondary trail now): a valid call with a long From user or
-- carrier call id made acc's insert fail on varchar(64)/varchar(255) and its row was lost.
alter table acc
    alter column callid type text, alter column sip_reason type text, alter column trunk type text,
    alter column ext_call_id type text, alter column x_call_id type text, alter column src_user type text,
    alter column src_domain type text, alter column src_ip type text, alter column dst_user type text,
    alter column dst_domain type text, alter column dst_ouser type text, alter column from_tag type text,
    alter column to_tag type text;
alter table missed_calls
    alter column callid type text, alter column sip_reason type text, alter column trunk type text,
    alter column ext_call_id type text, alter column x_call_id type text, alter column src_user type text,
    alter column src_domain type text, alter column src_ip type text, alter column dst_user type text,
    alter column dst_domain type text, alter column dst_ouser type text, alter column from_tag type text,
    alter column to_tag type text;
