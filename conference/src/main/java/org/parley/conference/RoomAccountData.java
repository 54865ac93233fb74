package org.parley.conference;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.parley.accounts.Account;
import org.parley.accounts.AccountData;

/**
 * What the rooms keep about an account, for the user's export (PP2-5) and its deletion: the rooms
 * it is in (role, screen name, since when) and its open invitations. Deleted, the account leaves
 * every room (an administrator's role passes on) and its invitations go. Messages it sent stay in
 * the rooms' history, as the other members saw them.
 */
public final class RoomAccountData implements AccountData {
    /** One room the account is in, or invited to ({@code role} "invited"). */
    public record RoomEntry(String room, String uri, String screenName, String role, String since) {
    }

    private final Rooms rooms;
    private final Function<Account, String> aorOf;

    public RoomAccountData(Rooms rooms, Function<Account, String> aorOf) {
        this.rooms = rooms;
        this.aorOf = aorOf;
    }

    @Override
    public String section() {
        return "chatRooms";
    }

    @Override
    public List<RoomEntry> export(Account account) {
        String aor = aorOf.apply(account);
        return rooms.roomsOf(aor).stream().map(r -> r.member(aor)
                .map(m -> new RoomEntry(r.name(), r.uri(), m.screenName(), m.role().name().toLowerCase(Locale.ROOT),
                        m.joined().toString()))
                .orElseGet(() -> new RoomEntry(r.name(), r.uri(), null, "invited", null))).toList();
    }

    @Override
    public void erase(Account account) {
        rooms.forget(aorOf.apply(account));
    }
}
