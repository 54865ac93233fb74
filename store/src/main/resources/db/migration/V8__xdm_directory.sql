-- Indexes the XDM services keep in step with XCAP documents (through XcapDocuments listeners);
-- the documents themselves stay the truth. Written for both H2 (PostgreSQL mode) and PostgreSQL.

-- Directory search (UC 5.19.6): one row per user who may be found. Users who opted out have no
-- row at all, so no query can ever reach them; names and numbers are never copied here.
CREATE TABLE directory_profile (
    xui        VARCHAR(512) PRIMARY KEY,
    birth_date DATE,
    gender     VARCHAR(16),
    intention  VARCHAR(64),
    city       VARCHAR(128),
    country    VARCHAR(128),
    free_text  VARCHAR(1024)
);

-- Temporary groups (UC 5.12) and when they end, for the sweeper.
CREATE TABLE temporary_group (
    group_uri  VARCHAR(512) PRIMARY KEY,
    owner_xui  VARCHAR(512),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX temporary_group_expiry ON temporary_group (expires_at);
