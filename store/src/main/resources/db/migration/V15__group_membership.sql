-- Who each user's group concerns (its owner and its members), kept in step with the group
-- documents through XcapDocuments listeners, so that a user's groups (GET /api/v1/groups,
-- UC 5.7, 5.8) are found without reading every group document. The documents stay the truth.
-- Addresses are lower-cased: SIP URIs of members compare case-insensitively here as in Group.
-- Written for both H2 (PostgreSQL mode) and PostgreSQL.
CREATE TABLE group_membership (
    group_uri VARCHAR(512) NOT NULL,
    xui       VARCHAR(512) NOT NULL,
    PRIMARY KEY (group_uri, xui)
);

CREATE INDEX group_membership_xui ON group_membership (xui, group_uri);
