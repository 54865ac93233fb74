package org.parley.xdm.oma;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ends temporary groups (UC 5.12): once a group's time is up and no session is going on in it,
 * it is deleted, taken off its owner's group usage list (which pushes the updated list to the
 * owner's devices) and the owner is told. A group with a session goes on until a later sweep
 * finds the session over (step 6 to 8). Time is the caller's: the assembly calls
 * {@link #sweep(Instant)} on a schedule, tests with the instant they want.
 */
public final class TemporaryGroupSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(TemporaryGroupSweeper.class);

    private final TemporaryGroupIndex index;
    private final GroupService groups;
    private final ActiveSessions sessions;
    private final TemporaryGroupNotifier notifier;

    public TemporaryGroupSweeper(TemporaryGroupIndex index, GroupService groups, ActiveSessions sessions,
                                 TemporaryGroupNotifier notifier) {
        this.index = index;
        this.groups = groups;
        this.sessions = sessions;
        this.notifier = notifier;
    }

    /** @return the URIs of the groups deleted */
    public List<String> sweep(Instant now) {
        List<String> deleted = new ArrayList<>();
        for (TemporaryGroupIndex.Entry entry : index.expired(now)) {
            if (sessions.active(entry.groupUri())) {
                continue;
            }
            Optional<Group> group = groups.find(entry.groupUri());
            // The document decides: the owner may have extended the group or made it permanent since.
            if (group.isPresent() && group.get().expires().map(at -> at.isAfter(now)).orElse(true)) {
                continue;
            }
            if (group.isPresent() && groups.delete(entry.groupUri())) {
                deleted.add(entry.groupUri());
                entry.ownerXui().ifPresent(owner -> notifier.deleted(owner, entry.groupUri()));
                LOG.info("Temporary group {} expired at {} and was deleted", entry.groupUri(), entry.expires());
            }
            index.forget(entry.groupUri());
        }
        return deleted;
    }
}
