package org.parley.xdm.oma;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.http.Json;
import org.parley.http.UserContext;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * {@code GET /api/v1/groups}: the XDM groups the authenticated user owns or is a member of
 * (UC 5.7, 5.8), mounted with {@code ParleyHttpServer.Builder#userService}. A member cannot read
 * another user's group document over XCAP (only its owner can), so this is how a client such as
 * Parley Web learns the groups whose URI it may chat with. Groups are created and changed over
 * XCAP, as the group usage expects; this resource only lists.
 */
public final class GroupsResource implements HttpService {
    private final GroupMembershipIndex groups;
    private final UnaryOperator<String> xuiOf;

    /** @param xuiOf the XUI of an authenticated user name */
    public GroupsResource(GroupMembershipIndex groups, UnaryOperator<String> xuiOf) {
        this.groups = groups;
        this.xuiOf = xuiOf;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GroupView(String uri, String displayName, String owner, boolean mine, String membership,
                     List<String> members, String expires) {
        static GroupView of(Group g, String me) {
            return new GroupView(g.uri(), g.displayName().orElse(null), g.owner(), g.owner().equalsIgnoreCase(me),
                    g.membership().name().toLowerCase(Locale.ROOT),
                    g.members().stream().map(Group.Member::uri).toList(),
                    g.expires().map(Object::toString).orElse(null));
        }
    }

    record Groups(List<GroupView> groups) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/groups", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        String me = xuiOf.apply(UserContext.username(req));
        Json.send(res, 200, new Groups(groups.groupsOf(me).stream().map(g -> GroupView.of(g, me)).toList()));
    }
}
