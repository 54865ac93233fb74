-- Write-through copy of the registrar's live bindings, so that they survive a restart.
CREATE TABLE registration_binding (
    aor                 VARCHAR(512)  NOT NULL,
    contact_uri         VARCHAR(2048) NOT NULL,
    instance_id         VARCHAR(512),
    reg_id              INTEGER       NOT NULL,
    q                   REAL          NOT NULL,
    expires_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    call_id             VARCHAR(512)  NOT NULL,
    cseq                BIGINT        NOT NULL,
    path_header         VARCHAR       NOT NULL,
    transport           VARCHAR(16)   NOT NULL,
    local_address       VARCHAR(64)   NOT NULL,
    remote_address      VARCHAR(64)   NOT NULL,
    connection_id       VARCHAR(128),
    user_agent          VARCHAR,
    access_network_info VARCHAR,
    registered_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (aor, contact_uri)
);

CREATE INDEX registration_binding_expires ON registration_binding (expires_at);
