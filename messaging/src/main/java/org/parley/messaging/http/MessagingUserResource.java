package org.parley.messaging.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.parley.http.Json;
import org.parley.http.ProblemException;
import org.parley.http.UserContext;
import org.parley.messaging.store.ControlsStore;
import org.parley.messaging.store.MessagingControls;

import java.util.List;
import java.util.Set;

/**
 * A subscriber's own messaging settings, mounted under {@code /api/v1} with
 * {@code ParleyHttpServer.Builder#userService}: delivery on or off (PP-11), do-not-disturb (UC 5.6)
 * and blocked senders (PP2-23). The path has no user name in it: the settings are always those of
 * the authenticated user, so there is nothing to tamper with to reach someone else's. The
 * operator's switches are shown, so the user understands why nothing arrives, but a PATCH naming
 * them (or limits) is refused with 403: the request is well-formed, the user just may not do it.
 */
public final class MessagingUserResource implements HttpService {
    private static final Set<String> OPERATOR_FIELDS = Set.of("operatorSubmissionEnabled", "operatorDeliveryEnabled",
            ControlsDocument.LIMITS);

    private final ControlsEditor controls;

    public MessagingUserResource(ControlsStore controls) {
        this.controls = new ControlsEditor(controls);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/me/messaging", this::get)
                .patch("/me/messaging", this::patch);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, SettingsView.of(controls.get(UserContext.username(req))));
    }

    private void patch(ServerRequest req, ServerResponse res) {
        String username = UserContext.username(req);
        ObjectNode body = PatchBody.readObject(req);
        List<String> operatorFields = OPERATOR_FIELDS.stream().filter(body::has).sorted().toList();
        if (!operatorFields.isEmpty()) {
            throw ProblemException.forbidden("Only the operator can change " + String.join(", ", operatorFields));
        }
        SettingsPatch patch = PatchBody.of(body, SettingsPatch.class, Set.of()).value();
        Json.send(res, 200, SettingsView.of(controls.update(username, patch::applyTo)));
    }

    /** What a user may change; absent fields are left as they are. */
    record SettingsPatch(Boolean deliveryEnabled, Boolean doNotDisturb, List<String> blockedSenders) {
        MessagingControls applyTo(MessagingControls c) {
            return new MessagingControls(deliveryEnabled == null ? c.deliveryEnabled() : deliveryEnabled,
                    doNotDisturb == null ? c.doNotDisturb() : doNotDisturb,
                    blockedSenders == null ? c.blockedSenders()
                            : BlockedSenders.canonical("blockedSenders", blockedSenders),
                    c.operatorSubmissionEnabled(), c.operatorDeliveryEnabled(), c.limits());
        }
    }

    /** What a user sees: their settings and, read-only, whether the operator lets them send and receive. */
    record SettingsView(boolean deliveryEnabled, boolean doNotDisturb, List<String> blockedSenders,
                        boolean operatorSubmissionEnabled, boolean operatorDeliveryEnabled) {
        static SettingsView of(MessagingControls c) {
            return new SettingsView(c.deliveryEnabled(), c.doNotDisturb(), BlockedSenders.view(c.blockedSenders()),
                    c.operatorSubmissionEnabled(), c.operatorDeliveryEnabled());
        }
    }
}
