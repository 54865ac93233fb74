-- The append-only logs keep only the indexes their listings walk (issue 13).
-- Measured (bench LogRecordCpu, H2, 200,000 rows, batches of 400): each secondary index costs the
-- group-commit writer about as much as the row itself and its other indexes together (copy-on-write of
-- a B-tree path per insert). The per-address indexes served only rare look-ups — an account's export
-- and deletion (PP2-5), a listing filtered by address — which now read the table in time order
-- through the time index instead. The time indexes stay: every listing and period export uses them.
-- Written for both H2 (PostgreSQL mode) and PostgreSQL; no row changes.
DROP INDEX usage_record_sender_time;
DROP INDEX usage_record_recipient_time;
DROP INDEX auth_attempt_identity_time;
