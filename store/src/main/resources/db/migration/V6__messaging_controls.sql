-- Per-user messaging settings (PP-10, PP-11, PP2-23, MO-2, PP2-17); a user without a row has the
-- defaults. Written for both H2 (PostgreSQL mode) and PostgreSQL.
CREATE TABLE messaging_controls (
    username                    VARCHAR(64) PRIMARY KEY,
    delivery_enabled            BOOLEAN     NOT NULL,
    do_not_disturb              BOOLEAN     NOT NULL,
    operator_submission_enabled BOOLEAN     NOT NULL,
    operator_delivery_enabled   BOOLEAN     NOT NULL,
    -- The user's own limits: all null (the configured defaults apply) or all set.
    max_body_bytes              INTEGER,
    messages_per_minute         INTEGER,
    messages_per_day            INTEGER,
    bytes_per_day               BIGINT,
    allowed_content_types       VARCHAR,
    offline_max_messages        INTEGER,
    offline_max_bytes           BIGINT,
    CONSTRAINT messaging_controls_limits_complete CHECK (
        (max_body_bytes IS NULL AND messages_per_minute IS NULL AND messages_per_day IS NULL
            AND bytes_per_day IS NULL AND allowed_content_types IS NULL
            AND offline_max_messages IS NULL AND offline_max_bytes IS NULL)
        OR (max_body_bytes IS NOT NULL AND messages_per_minute IS NOT NULL AND messages_per_day IS NOT NULL
            AND bytes_per_day IS NOT NULL AND allowed_content_types IS NOT NULL
            AND offline_max_messages IS NOT NULL AND offline_max_bytes IS NOT NULL))
);

-- Blocked senders get a table of their own: a SIP URI may itself contain commas.
CREATE TABLE blocked_sender (
    username VARCHAR(64)  NOT NULL REFERENCES messaging_controls (username) ON DELETE CASCADE,
    sender   VARCHAR(512) NOT NULL,
    PRIMARY KEY (username, sender)
);
