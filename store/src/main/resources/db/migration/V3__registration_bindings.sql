-- Write-through copy of the registrar's live bindings, so that they survive a restart.
CREATE TABLE registration_binding (
    aor                 VARCHAR(512)  NOT NULL,
    binding_key         VARCHAR(2048) NOT NULL,
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
    -- the key is the registrar's: instance and reg-id when the device gave them (RFC 5626 §6,
    -- one device may hold several flows with the same Contact), else the contact URI
    PRIMARY KEY (aor, binding_key)
);

CREATE INDEX registration_binding_expires ON registration_binding (expires_at);
