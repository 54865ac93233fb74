-- Auth attempts as blocks of text lines (issue 13): one B-tree insert per attempt was most of what an
-- authenticated REGISTER cost the embedded database; a block holds up to 256 attempts of one write as
-- lines, one insert for all (accounts AuthAttemptLines has the format: the microsecond since 1970, 1 or 0
-- for success, identity, reason, door, source, transport, User-Agent or \N, separated by tabs; a
-- backslash, tab, line feed or carriage return in a value is written \\, \t, \n, \r). A block's key is a
-- time key (store TimeKeys) of its newest attempt, so ORDER BY id is still newest-last.
-- Existing attempts become blocks of one, under their keys, with their times to the microsecond.
-- Written for both H2 (PostgreSQL mode) and PostgreSQL (standard strings: '\' is one backslash).
CREATE TABLE auth_attempt_block (
    id       BIGINT  NOT NULL,
    attempts INTEGER NOT NULL,
    lines    VARCHAR NOT NULL,
    CONSTRAINT auth_attempt_block_key PRIMARY KEY (id)
);
-- The listing's total is SUM(attempts): H2 keeps a row whole, so without this index the sum reads every
-- block's text (1,000,000 attempts: 140 ms warm, 1.2 s cold); the index covers it (7 ms, 22 ms), at one
-- more tree insert per block, not per attempt.
CREATE INDEX auth_attempt_block_attempts ON auth_attempt_block (attempts);
INSERT INTO auth_attempt_block (id, attempts, lines)
SELECT id, 1,
       CAST(CAST(ROUND(EXTRACT(EPOCH FROM attempted_at) * 1000000) AS BIGINT) AS VARCHAR)
       || CHR(9) || CASE WHEN succeeded THEN '1' ELSE '0' END
       || CHR(9) || REPLACE(REPLACE(REPLACE(REPLACE(claimed_identity, '\', '\\'), CHR(9), '\t'), CHR(10), '\n'), CHR(13), '\r')
       || CHR(9) || REPLACE(REPLACE(REPLACE(REPLACE(reason, '\', '\\'), CHR(9), '\t'), CHR(10), '\n'), CHR(13), '\r')
       || CHR(9) || REPLACE(REPLACE(REPLACE(REPLACE(door, '\', '\\'), CHR(9), '\t'), CHR(10), '\n'), CHR(13), '\r')
       || CHR(9) || REPLACE(REPLACE(REPLACE(REPLACE(source_address, '\', '\\'), CHR(9), '\t'), CHR(10), '\n'), CHR(13), '\r')
       || CHR(9) || REPLACE(REPLACE(REPLACE(REPLACE(transport, '\', '\\'), CHR(9), '\t'), CHR(10), '\n'), CHR(13), '\r')
       || CHR(9) || CASE WHEN user_agent IS NULL THEN '\N'
                         ELSE REPLACE(REPLACE(REPLACE(REPLACE(user_agent, '\', '\\'), CHR(9), '\t'), CHR(10), '\n'), CHR(13), '\r') END
       || CHR(10)
FROM auth_attempt;
DROP TABLE auth_attempt;
