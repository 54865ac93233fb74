package org.parley.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Durable copy of the registrar's bindings (GU-1, GU-2: several devices per address of record),
 * one row per (address of record, binding key). The registrar stays the authority on what is live;
 * this only has to give the same bindings back after a restart.
 */
public final class BindingRepository {
    private static final String COLUMNS = "aor, binding_key, contact_uri, instance_id, reg_id, q, expires_at, call_id, cseq, "
            + "path_header, transport, local_address, remote_address, connection_id, user_agent, "
            + "access_network_info, registered_at";
    private static final String VALUES = ":aor, :bindingKey, :contactUri, :instanceId, :regId, :q, :expiresAt, :callId, :cseq, "
            + ":path, :transport, :localAddress, :remoteAddress, :connectionId, :userAgent, "
            + ":accessNetworkInfo, :registeredAt";
    private static final String UPDATE = "UPDATE registration_binding SET contact_uri = :contactUri, instance_id = :instanceId, "
            + "reg_id = :regId, q = :q, expires_at = :expiresAt, call_id = :callId, cseq = :cseq, "
            + "path_header = :path, transport = :transport, local_address = :localAddress, "
            + "remote_address = :remoteAddress, connection_id = :connectionId, user_agent = :userAgent, "
            + "access_network_info = :accessNetworkInfo, registered_at = :registeredAt "
            + "WHERE aor = :aor AND binding_key = :bindingKey";

    private final Jdbi jdbi;

    public BindingRepository(Database database) {
        this.jdbi = database.jdbi();
    }

    /** Inserts or replaces the binding with the same address of record and binding key. */
    public void upsert(StoredBinding binding) {
        // Update-then-insert instead of MERGE / ON CONFLICT DO UPDATE, which H2 and PostgreSQL 14
        // do not share. Losing the insert race to a concurrent upsert just means updating again.
        try {
            jdbi.useTransaction(h -> updateOrInsert(h, binding));
        } catch (JdbiException e) {
            if (!UniqueViolations.isUniqueViolation(e)) {
                throw e;
            }
            jdbi.useTransaction(h -> updateOrInsert(h, binding));
        }
    }

    private static void updateOrInsert(Handle h, StoredBinding b) {
        if (bind(h.createUpdate(UPDATE), b).execute() == 0) {
            bind(h.createUpdate("INSERT INTO registration_binding (" + COLUMNS + ") VALUES (" + VALUES + ")"), b)
                    .execute();
        }
    }

    /** A binding's identity in the table. */
    public record BindingKey(String aor, String bindingKey) {
    }

    /**
     * Writes many changes in one transaction (the registrar's write-behind): {@code upserts} inserted
     * or replaced, {@code deletes} removed, with one statement prepared per kind and one commit.
     */
    public void writeAll(List<StoredBinding> upserts, List<BindingKey> deletes) {
        try {
            jdbi.useTransaction(h -> writeAll(h, upserts, deletes));
        } catch (JdbiException e) {
            if (!UniqueViolations.isUniqueViolation(e)) {
                throw e;
            }
            // another writer inserted one of the rows first: it exists now, so it is updated this time
            jdbi.useTransaction(h -> writeAll(h, upserts, deletes));
        }
    }

    private static void writeAll(Handle h, List<StoredBinding> upserts, List<BindingKey> deletes) {
        if (!deletes.isEmpty()) {
            PreparedBatch delete = h.prepareBatch(
                    "DELETE FROM registration_binding WHERE aor = :aor AND binding_key = :bindingKey");
            deletes.forEach(k -> delete.bind("aor", k.aor()).bind("bindingKey", k.bindingKey()).add());
            delete.execute();
        }
        if (upserts.isEmpty()) {
            return;
        }
        PreparedBatch update = h.prepareBatch(UPDATE);
        upserts.forEach(b -> bind(update, b).add());
        int[] updated = update.execute();
        PreparedBatch insert = h.prepareBatch("INSERT INTO registration_binding (" + COLUMNS + ") VALUES (" + VALUES + ")");
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                bind(insert, upserts.get(i)).add();
            }
        }
        if (insert.size() > 0) {
            insert.execute();
        }
    }

    public boolean delete(String aor, String bindingKey) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM registration_binding WHERE aor = :aor AND binding_key = :bindingKey")
                .bind("aor", aor).bind("bindingKey", bindingKey).execute()) > 0;
    }

    /** @return how many bindings the address of record had */
    public int deleteAll(String aor) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM registration_binding WHERE aor = :aor")
                .bind("aor", aor).execute());
    }

    public List<StoredBinding> all() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM registration_binding ORDER BY aor, binding_key")
                .map((rs, ctx) -> read(rs)).list());
    }

    public List<StoredBinding> forAor(String aor) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM registration_binding WHERE aor = :aor ORDER BY binding_key")
                .bind("aor", aor).map((rs, ctx) -> read(rs)).list());
    }

    /** Removes bindings whose expiry is at or before {@code now}; @return how many. */
    public int deleteExpired(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM registration_binding WHERE expires_at <= :now")
                .bind("now", SqlTime.argument(now)).execute());
    }

    private static <S extends SqlStatement<S>> S bind(S statement, StoredBinding b) {
        return statement.bind("aor", b.aor())
                .bind("bindingKey", b.bindingKey())
                .bind("contactUri", b.contactUri())
                .bind("instanceId", b.instanceId())
                .bind("regId", b.regId())
                .bind("q", b.q())
                .bind("expiresAt", SqlTime.argument(b.expiresAt()))
                .bind("callId", b.callId())
                .bind("cseq", b.cseq())
                .bind("path", b.path())
                .bind("transport", b.transport())
                .bind("localAddress", b.localAddress())
                .bind("remoteAddress", b.remoteAddress())
                .bind("connectionId", b.connectionId())
                .bind("userAgent", b.userAgent())
                .bind("accessNetworkInfo", b.accessNetworkInfo())
                .bind("registeredAt", SqlTime.argument(b.registeredAt()));
    }

    private static StoredBinding read(ResultSet rs) throws SQLException {
        return new StoredBinding(rs.getString("aor"), rs.getString("binding_key"), rs.getString("contact_uri"), rs.getString("instance_id"),
                rs.getInt("reg_id"), rs.getFloat("q"), SqlTime.read(rs, "expires_at"), rs.getString("call_id"),
                rs.getLong("cseq"), rs.getString("path_header"), rs.getString("transport"),
                rs.getString("local_address"), rs.getString("remote_address"), rs.getString("connection_id"),
                rs.getString("user_agent"), rs.getString("access_network_info"), SqlTime.read(rs, "registered_at"));
    }
}
