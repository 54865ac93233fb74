package org.parley.xdm.oma;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a creator supplies for a group.
 *
 * @param duration how long a temporary group lives (UC 5.12); empty for a permanent group
 */
public record NewGroup(Optional<String> displayName, List<String> members, OptionalInt maxParticipants,
                       Group.Membership membership, Group.ContentWrite contentWrite, Optional<Duration> duration) {
    public NewGroup {
        members = List.copyOf(members);
        if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
            throw new IllegalArgumentException("a temporary group needs a positive duration");
        }
    }

    /** A permanent closed group of these members, whose members may write its shared content. */
    public static NewGroup closed(String displayName, List<String> members) {
        return new NewGroup(Optional.of(displayName), members, OptionalInt.empty(), Group.Membership.CLOSED,
                Group.ContentWrite.MEMBERS, Optional.empty());
    }

    public NewGroup withMembership(Group.Membership value) {
        return new NewGroup(displayName, members, maxParticipants, value, contentWrite, duration);
    }

    public NewGroup withMaxParticipants(int value) {
        return new NewGroup(displayName, members, OptionalInt.of(value), membership, contentWrite, duration);
    }

    public NewGroup withContentWrite(Group.ContentWrite value) {
        return new NewGroup(displayName, members, maxParticipants, membership, value, duration);
    }

    public NewGroup temporary(Duration value) {
        return new NewGroup(displayName, members, maxParticipants, membership, contentWrite, Optional.of(value));
    }
}
