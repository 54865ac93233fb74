package org.parley.conference;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A chat room (RFC 4353's conference, held by this server as its focus): its settings, members,
 * bans, open invitations and recent messages. {@link Rooms} changes it under the room's monitor,
 * after the store took the change; readers get copies.
 */
public final class ChatRoom {
    private final String name;
    private final String uri;
    private final String creator;
    private final Instant created;
    private RoomConfig config;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Set<String> bans = new HashSet<>();
    private final Map<String, Invitation> invitations = new LinkedHashMap<>();
    private final Deque<RoomMessage> history = new ArrayDeque<>();
    private boolean closed;

    ChatRoom(String name, String uri, String creator, Instant created, RoomConfig config) {
        this.name = name;
        this.uri = uri;
        this.creator = creator;
        this.created = created;
        this.config = config;
    }

    public String name() {
        return name;
    }

    public String uri() {
        return uri;
    }

    public String creator() {
        return creator;
    }

    public Instant created() {
        return created;
    }

    public synchronized RoomConfig config() {
        return config;
    }

    public synchronized List<Member> members() {
        return List.copyOf(members.values());
    }

    public synchronized Optional<Member> member(String aor) {
        return Optional.ofNullable(members.get(aor));
    }

    /** A member by screen name (case-insensitive) or, outside public rooms, by address. */
    public synchronized Optional<Member> find(String who) {
        String w = who.strip();
        for (Member m : members.values()) {
            if (m.screenName().equalsIgnoreCase(w) || !config.publicRoom() && m.aor().equalsIgnoreCase(w)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public synchronized boolean banned(String aor) {
        return bans.contains(aor);
    }

    public synchronized List<Invitation> invitations() {
        return List.copyOf(invitations.values());
    }

    public synchronized Optional<Invitation> invitation(String invitee) {
        return Optional.ofNullable(invitations.get(invitee));
    }

    public synchronized List<RoomMessage> history() {
        return new ArrayList<>(history);
    }

    public synchronized boolean closed() {
        return closed;
    }

    /** How a member appears to the others: the screen name in a public room, else the address too. */
    public synchronized String shown(Member m) {
        return config.publicRoom() ? m.screenName() : m.screenName() + " (" + m.aor() + ")";
    }

    synchronized boolean screenNameTaken(String screenName, String byOtherThan) {
        String s = screenName.toLowerCase(Locale.ROOT);
        return members.values().stream()
                .anyMatch(m -> !m.aor().equals(byOtherThan) && m.screenName().toLowerCase(Locale.ROOT).equals(s));
    }

    synchronized void configure(RoomConfig newConfig) {
        this.config = newConfig;
        trim();
    }

    synchronized void put(Member m) {
        members.put(m.aor(), m);
    }

    synchronized void remove(String aor) {
        members.remove(aor);
    }

    synchronized void ban(String aor) {
        bans.add(aor);
        members.remove(aor);
        invitations.remove(aor);
    }

    synchronized void unban(String aor) {
        bans.remove(aor);
    }

    synchronized void invite(Invitation i) {
        invitations.put(i.invitee(), i);
    }

    synchronized void uninvite(String invitee) {
        invitations.remove(invitee);
    }

    synchronized void remember(RoomMessage m) {
        history.addLast(m);
        trim();
    }

    private void trim() {
        while (history.size() > config.historySize()) {
            history.removeFirst();
        }
    }

    synchronized void close() {
        closed = true;
    }
}
