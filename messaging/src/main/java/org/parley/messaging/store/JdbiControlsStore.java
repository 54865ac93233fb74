package org.parley.messaging.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;
import org.parley.store.Database;
import org.parley.store.UniqueViolations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Messaging controls in the {@code messaging_controls} and {@code blocked_sender} tables. A user's
 * own limits are all seven limit columns or none; the allowed content types are kept comma-joined,
 * which is safe because a media type (RFC 6838) has no comma, and is checked to have none.
 */
public final class JdbiControlsStore implements ControlsStore {
    private static final String SET_COLUMNS = "delivery_enabled = :deliveryEnabled, "
            + "do_not_disturb = :doNotDisturb, operator_submission_enabled = :operatorSubmission, "
            + "operator_delivery_enabled = :operatorDelivery, max_body_bytes = :maxBodyBytes, "
            + "messages_per_minute = :perMinute, messages_per_day = :perDay, bytes_per_day = :bytesPerDay, "
            + "allowed_content_types = :contentTypes, offline_max_messages = :offlineMessages, "
            + "offline_max_bytes = :offlineBytes";
    private static final String INSERT = "INSERT INTO messaging_controls (username, delivery_enabled, "
            + "do_not_disturb, operator_submission_enabled, operator_delivery_enabled, max_body_bytes, "
            + "messages_per_minute, messages_per_day, bytes_per_day, allowed_content_types, offline_max_messages, "
            + "offline_max_bytes) VALUES (:username, :deliveryEnabled, :doNotDisturb, :operatorSubmission, "
            + ":operatorDelivery, :maxBodyBytes, :perMinute, :perDay, :bytesPerDay, :contentTypes, "
            + ":offlineMessages, :offlineBytes)";
    private static final int MAX_SENDER_LENGTH = 512;

    private final Jdbi jdbi;

    public JdbiControlsStore(Database database) {
        this.jdbi = database.jdbi();
    }

    @Override
    public MessagingControls get(String username) {
        // One statement, so that a concurrent put is seen entirely or not at all.
        return jdbi.withHandle(h -> h.createQuery("SELECT c.*, b.sender FROM messaging_controls c "
                        + "LEFT JOIN blocked_sender b ON b.username = c.username WHERE c.username = :username")
                .bind("username", username)
                .reduceResultSet(Optional.<Row>empty(), (row, rs, ctx) -> Optional.of(
                        (row.isPresent() ? row.get() : Row.read(rs)).withBlocked(rs.getString("sender")))))
                .map(Row::controls)
                .orElse(MessagingControls.DEFAULT);
    }

    @Override
    public void put(String username, MessagingControls controls) {
        controls.limits().ifPresent(limits -> limits.allowedContentTypes().forEach(type -> {
            if (type.contains(",")) {
                throw new IllegalArgumentException("not a media type: " + type);
            }
        }));
        controls.blockedSenders().forEach(sender -> {
            if (sender.length() > MAX_SENDER_LENGTH) {
                throw new IllegalArgumentException("blocked sender longer than " + MAX_SENDER_LENGTH + " characters");
            }
        });
        // Update-then-insert, as H2 and PostgreSQL share no upsert; losing the insert race to a
        // concurrent put just means replacing again.
        try {
            jdbi.useTransaction(h -> replace(h, username, controls));
        } catch (JdbiException e) {
            if (!UniqueViolations.isUniqueViolation(e)) {
                throw e;
            }
            jdbi.useTransaction(h -> replace(h, username, controls));
        }
    }

    @Override
    public void delete(String username) {
        // blocked_sender rows go with their messaging_controls row (ON DELETE CASCADE)
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM messaging_controls WHERE username = :username")
                .bind("username", username).execute());
    }

    private static void replace(Handle h, String username, MessagingControls controls) {
        // The update comes first: its row lock keeps concurrent puts for the user apart below.
        if (bind(h.createUpdate("UPDATE messaging_controls SET " + SET_COLUMNS + " WHERE username = :username"),
                username, controls).execute() == 0) {
            bind(h.createUpdate(INSERT), username, controls).execute();
        }
        h.createUpdate("DELETE FROM blocked_sender WHERE username = :username").bind("username", username).execute();
        if (!controls.blockedSenders().isEmpty()) {
            PreparedBatch batch = h.prepareBatch("INSERT INTO blocked_sender (username, sender) VALUES (:username, :sender)");
            controls.blockedSenders().forEach(sender -> batch.bind("username", username).bind("sender", sender).add());
            batch.execute();
        }
    }

    private static Update bind(Update update, String username, MessagingControls c) {
        update.bind("username", username)
                .bind("deliveryEnabled", c.deliveryEnabled())
                .bind("doNotDisturb", c.doNotDisturb())
                .bind("operatorSubmission", c.operatorSubmissionEnabled())
                .bind("operatorDelivery", c.operatorDeliveryEnabled());
        if (c.limits().isEmpty()) {
            for (String name : new String[] {"maxBodyBytes", "perMinute", "perDay", "offlineMessages"}) {
                update.bindNull(name, Types.INTEGER);
            }
            return update.bindNull("bytesPerDay", Types.BIGINT)
                    .bindNull("offlineBytes", Types.BIGINT)
                    .bindNull("contentTypes", Types.VARCHAR);
        }
        Limits l = c.limits().get();
        return update.bind("maxBodyBytes", l.maxBodyBytes())
                .bind("perMinute", l.messagesPerMinute())
                .bind("perDay", l.messagesPerDay())
                .bind("bytesPerDay", l.bytesPerDay())
                .bind("contentTypes", String.join(",", new TreeSet<>(l.allowedContentTypes())))
                .bind("offlineMessages", l.offlineMaxMessages())
                .bind("offlineBytes", l.offlineMaxBytes());
    }

    /** One user's row while the blocked senders, one per result row of the join, are collected. */
    private record Row(MessagingControls settings, Set<String> blocked) {
        static Row read(ResultSet rs) throws SQLException {
            Optional<Limits> limits = Optional.empty();
            if (rs.getObject("max_body_bytes") != null) {
                String types = rs.getString("allowed_content_types");
                limits = Optional.of(new Limits(rs.getInt("max_body_bytes"), rs.getInt("messages_per_minute"),
                        rs.getInt("messages_per_day"), rs.getLong("bytes_per_day"),
                        types.isEmpty() ? Set.of() : Set.of(types.split(",")),
                        rs.getInt("offline_max_messages"), rs.getLong("offline_max_bytes")));
            }
            return new Row(new MessagingControls(rs.getBoolean("delivery_enabled"), rs.getBoolean("do_not_disturb"),
                    Set.of(), rs.getBoolean("operator_submission_enabled"),
                    rs.getBoolean("operator_delivery_enabled"), limits), new HashSet<>());
        }

        Row withBlocked(String sender) {
            if (sender != null) {
                blocked.add(sender);
            }
            return this;
        }

        MessagingControls controls() {
            return new MessagingControls(settings.deliveryEnabled(), settings.doNotDisturb(), blocked,
                    settings.operatorSubmissionEnabled(), settings.operatorDeliveryEnabled(), settings.limits());
        }
    }
}
