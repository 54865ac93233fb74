-- Written for both H2 (PostgreSQL mode) and PostgreSQL.
-- The accounts' change marker: every writer of account or account_identity (the server's admin API,
-- the command line in another process) bumps it in the same transaction, so a server holding the
-- accounts in memory learns of any change by reading this one row.
CREATE TABLE account_version (
    id      INT    PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);

INSERT INTO account_version (id, version) VALUES (1, 0);
