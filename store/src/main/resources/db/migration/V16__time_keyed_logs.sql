-- The append-only logs keyed by time (issue 13): the key is the record's microsecond since 1970 times
-- 2048 plus a sequence (store TimeKeys), so ORDER BY id is ORDER BY time, then arrival, and a time
-- window is a key range. The time indexes go: in H2 a single BIGINT primary key is the row key, so
-- a record costs one B-tree insert instead of two (bench LogRecordCpu; the store README has the figures).
-- The writer assigns the keys: no identity any more.
-- Existing rows are copied under their new keys, those of one microsecond in their old order (by id;
-- partitioned by the microsecond, not the value: H2 keeps a value's offset, and 01:00+01 is 00:00+00);
-- 2048 or more rows in one microsecond would collide and stop the migration (no writer ever made them).
-- Written for both H2 (PostgreSQL mode) and PostgreSQL.
CREATE TABLE usage_record_keyed (
    id               BIGINT       NOT NULL,
    occurred_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    event            VARCHAR(16)  NOT NULL,
    sender           VARCHAR(512) NOT NULL,
    recipient        VARCHAR(512) NOT NULL,
    size             BIGINT       NOT NULL,
    content_type     VARCHAR      NOT NULL,
    sent_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at     TIMESTAMP WITH TIME ZONE,
    sender_access    VARCHAR,
    recipient_access VARCHAR,
    message_ref      VARCHAR      NOT NULL,
    detail           VARCHAR,
    CONSTRAINT usage_record_time_key PRIMARY KEY (id)
);
INSERT INTO usage_record_keyed (id, occurred_at, event, sender, recipient, size, content_type, sent_at,
                                delivered_at, sender_access, recipient_access, message_ref, detail)
SELECT CAST(ROUND(EXTRACT(EPOCH FROM occurred_at) * 1000000) AS BIGINT) * 2048
           + ROW_NUMBER() OVER (PARTITION BY CAST(ROUND(EXTRACT(EPOCH FROM occurred_at) * 1000000) AS BIGINT)
                                ORDER BY id) - 1,
       occurred_at, event, sender, recipient, size, content_type, sent_at, delivered_at, sender_access,
       recipient_access, message_ref, detail
FROM usage_record;
DROP TABLE usage_record;
ALTER TABLE usage_record_keyed RENAME TO usage_record;

CREATE TABLE auth_attempt_keyed (
    id               BIGINT       NOT NULL,
    attempted_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_identity VARCHAR(256) NOT NULL,
    succeeded        BOOLEAN      NOT NULL,
    reason           VARCHAR(256) NOT NULL,
    door             VARCHAR(32)  NOT NULL,
    source_address   VARCHAR(128) NOT NULL,
    transport        VARCHAR(16)  NOT NULL,
    user_agent       VARCHAR(256),
    CONSTRAINT auth_attempt_time_key PRIMARY KEY (id)
);
INSERT INTO auth_attempt_keyed (id, attempted_at, claimed_identity, succeeded, reason, door, source_address,
                                transport, user_agent)
SELECT CAST(ROUND(EXTRACT(EPOCH FROM attempted_at) * 1000000) AS BIGINT) * 2048
           + ROW_NUMBER() OVER (PARTITION BY CAST(ROUND(EXTRACT(EPOCH FROM attempted_at) * 1000000) AS BIGINT)
                                ORDER BY id) - 1,
       attempted_at, claimed_identity, succeeded, reason, door, source_address, transport, user_agent
FROM auth_attempt;
DROP TABLE auth_attempt;
ALTER TABLE auth_attempt_keyed RENAME TO auth_attempt;
