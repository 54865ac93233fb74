package org.parley.conference.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.parley.conference.Invitation;
import org.parley.conference.Member;
import org.parley.conference.Role;
import org.parley.conference.RoomConfig;
import org.parley.conference.RoomMessage;
import org.parley.conference.RoomStore;
import org.parley.store.Database;
import org.parley.store.SqlTime;

/**
 * Rooms in the {@code chat_room*} tables (migration V9). Each change is one transaction, committed
 * before the focus acts on it, so a room, its members, roles, bans and history survive a restart
 * and a kill -9.
 */
public final class JdbiRoomStore implements RoomStore {
    private final Jdbi jdbi;

    public JdbiRoomStore(Database database) {
        this.jdbi = database.jdbi();
    }

    @Override
    public List<Stored> loadAll() {
        return jdbi.withHandle(h -> {
            List<Stored> all = new ArrayList<>();
            List<Object[]> rooms = h.createQuery("SELECT * FROM chat_room ORDER BY name")
                    .map((rs, ctx) -> new Object[] {rs.getString("name"), rs.getString("creator"),
                            SqlTime.read(rs, "created_at"), config(rs)}).list();
            for (Object[] r : rooms) {
                String name = (String) r[0];
                RoomConfig config = (RoomConfig) r[3];
                all.add(new Stored(name, (String) r[1], (Instant) r[2], config, members(h, name), bans(h, name),
                        invitations(h, name), history(h, name, config.historySize())));
            }
            return all;
        });
    }

    private static RoomConfig config(ResultSet rs) throws SQLException {
        return new RoomConfig(rs.getString("subject"), rs.getString("topic"), rs.getInt("max_members"),
                rs.getBoolean("locked"), rs.getBoolean("public_room"), rs.getBoolean("adult_only"),
                rs.getInt("history_size"));
    }

    private static List<Member> members(Handle h, String room) {
        return h.createQuery("SELECT * FROM chat_room_member WHERE room = :room ORDER BY joined_at, aor")
                .bind("room", room)
                .map((rs, ctx) -> new Member(rs.getString("aor"), rs.getString("screen_name"),
                        Role.valueOf(rs.getString("role")), SqlTime.read(rs, "joined_at"))).list();
    }

    private static Set<String> bans(Handle h, String room) {
        return new HashSet<>(h.createQuery("SELECT aor FROM chat_room_ban WHERE room = :room").bind("room", room)
                .mapTo(String.class).list());
    }

    private static List<Invitation> invitations(Handle h, String room) {
        return h.createQuery("SELECT * FROM chat_room_invitation WHERE room = :room ORDER BY invitee")
                .bind("room", room)
                .map((rs, ctx) -> new Invitation(room, rs.getString("invitee"), rs.getString("inviter"),
                        rs.getBoolean("hide_inviter"), SqlTime.read(rs, "expires_at"))).list();
    }

    private static List<RoomMessage> history(Handle h, String room, int last) {
        List<RoomMessage> newestFirst = h.createQuery("SELECT * FROM chat_room_message WHERE room = :room "
                        + "ORDER BY sequence DESC LIMIT :last")
                .bind("room", room).bind("last", last)
                .map((rs, ctx) -> new RoomMessage(rs.getLong("sequence"), rs.getString("sender"),
                        rs.getString("content_type"), rs.getBytes("body"), SqlTime.read(rs, "sent_at"))).list();
        return newestFirst.reversed();
    }

    @Override
    public void create(String name, String creator, Instant created, RoomConfig config, Member creatorMember) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO chat_room (name, creator, created_at, subject, topic, max_members, locked, "
                            + "public_room, adult_only, history_size) VALUES (:name, :creator, :created, :subject, "
                            + ":topic, :max, :locked, :public, :adult, :history)")
                    .bind("name", name).bind("creator", creator).bind("created", SqlTime.argument(created))
                    .bind("subject", config.subject()).bind("topic", config.topic())
                    .bind("max", config.maxMembers()).bind("locked", config.locked())
                    .bind("public", config.publicRoom()).bind("adult", config.adultOnly())
                    .bind("history", config.historySize()).execute();
            insertMember(h, name, creatorMember);
        });
    }

    @Override
    public void configure(String room, RoomConfig c) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE chat_room SET subject = :subject, topic = :topic, max_members = :max, "
                            + "locked = :locked, public_room = :public, adult_only = :adult, history_size = :history "
                            + "WHERE name = :name")
                    .bind("name", room).bind("subject", c.subject()).bind("topic", c.topic())
                    .bind("max", c.maxMembers()).bind("locked", c.locked()).bind("public", c.publicRoom())
                    .bind("adult", c.adultOnly()).bind("history", c.historySize()).execute();
            // a smaller history drops what is beyond it at once, as the room in memory does
            trim(h, room, c.historySize());
        });
    }

    @Override
    public void putMember(String room, Member member) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM chat_room_member WHERE room = :room AND aor = :aor")
                    .bind("room", room).bind("aor", member.aor()).execute();
            h.createUpdate("DELETE FROM chat_room_invitation WHERE room = :room AND invitee = :aor")
                    .bind("room", room).bind("aor", member.aor()).execute();
            insertMember(h, room, member);
        });
    }

    private static void insertMember(Handle h, String room, Member m) {
        h.createUpdate("INSERT INTO chat_room_member (room, aor, screen_name, role, joined_at) "
                        + "VALUES (:room, :aor, :screen, :role, :joined)")
                .bind("room", room).bind("aor", m.aor()).bind("screen", m.screenName()).bind("role", m.role().name())
                .bind("joined", SqlTime.argument(m.joined())).execute();
    }

    @Override
    public void removeMember(String room, String aor) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM chat_room_member WHERE room = :room AND aor = :aor")
                .bind("room", room).bind("aor", aor).execute());
    }

    @Override
    public void ban(String room, String aor) {
        jdbi.useTransaction(h -> {
            for (String table : List.of("chat_room_member", "chat_room_ban")) {
                h.createUpdate("DELETE FROM " + table + " WHERE room = :room AND aor = :aor")
                        .bind("room", room).bind("aor", aor).execute();
            }
            h.createUpdate("DELETE FROM chat_room_invitation WHERE room = :room AND invitee = :aor")
                    .bind("room", room).bind("aor", aor).execute();
            h.createUpdate("INSERT INTO chat_room_ban (room, aor) VALUES (:room, :aor)")
                    .bind("room", room).bind("aor", aor).execute();
        });
    }

    @Override
    public void unban(String room, String aor) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM chat_room_ban WHERE room = :room AND aor = :aor")
                .bind("room", room).bind("aor", aor).execute());
    }

    @Override
    public void putInvitation(Invitation i) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM chat_room_invitation WHERE room = :room AND invitee = :invitee")
                    .bind("room", i.room()).bind("invitee", i.invitee()).execute();
            h.createUpdate("INSERT INTO chat_room_invitation (room, invitee, inviter, hide_inviter, expires_at) "
                            + "VALUES (:room, :invitee, :inviter, :hide, :expires)")
                    .bind("room", i.room()).bind("invitee", i.invitee()).bind("inviter", i.inviter())
                    .bind("hide", i.hideInviter()).bind("expires", SqlTime.argument(i.expires())).execute();
        });
    }

    @Override
    public void removeInvitation(String room, String invitee) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM chat_room_invitation WHERE room = :room AND invitee = :invitee")
                .bind("room", room).bind("invitee", invitee).execute());
    }

    @Override
    public long append(String room, String sender, String contentType, byte[] body, Instant at, int keep) {
        return jdbi.inTransaction(h -> {
            long sequence = h.createUpdate("INSERT INTO chat_room_message (room, sender, content_type, body, sent_at) "
                            + "VALUES (:room, :sender, :type, :body, :at)")
                    .bind("room", room).bind("sender", sender).bind("type", contentType).bind("body", body)
                    .bind("at", SqlTime.argument(at))
                    .executeAndReturnGeneratedKeys("sequence").mapTo(Long.class).one();
            trim(h, room, keep);
            return sequence;
        });
    }

    private static void trim(Handle h, String room, int keep) {
        h.createUpdate("DELETE FROM chat_room_message WHERE room = :room AND sequence NOT IN "
                        + "(SELECT sequence FROM chat_room_message WHERE room = :room "
                        + "ORDER BY sequence DESC LIMIT :keep)")
                .bind("room", room).bind("keep", keep).execute();
    }

    @Override
    public void delete(String room) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM chat_room WHERE name = :room").bind("room", room).execute());
    }

    @Override
    public void forget(String aor) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM chat_room_member WHERE aor = :aor").bind("aor", aor).execute();
            h.createUpdate("DELETE FROM chat_room_ban WHERE aor = :aor").bind("aor", aor).execute();
            h.createUpdate("DELETE FROM chat_room_invitation WHERE invitee = :aor OR inviter = :aor")
                    .bind("aor", aor).execute();
        });
    }
}
