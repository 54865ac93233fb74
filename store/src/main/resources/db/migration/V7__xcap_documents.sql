-- XCAP documents (RFC 4825), stored byte-exact as the client wrote them, with their strong ETag.
-- Written for both H2 (PostgreSQL mode) and PostgreSQL.
CREATE TABLE xcap_document (
    auid       VARCHAR(128)  NOT NULL,
    -- 'users' or 'global' (RFC 4825 §6.2); global documents have the empty string as xui.
    scope      VARCHAR(8)    NOT NULL,
    xui        VARCHAR(512)  NOT NULL,
    doc_path   VARCHAR(1024) NOT NULL,
    -- BYTEA is PostgreSQL's binary type and an alias of VARBINARY in H2.
    content    BYTEA         NOT NULL,
    etag       VARCHAR(64)   NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (auid, scope, xui, doc_path),
    CONSTRAINT xcap_document_scope CHECK (scope IN ('users', 'global'))
);
