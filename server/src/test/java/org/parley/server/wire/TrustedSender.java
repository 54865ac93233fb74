package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.parley.server.TestServer;
import org.parley.sip.transport.Transport;

/**
 * A sender whose requests need no digest challenge: a TCP connection over which the user
 * registered with digest, which the messaging server trusts (GS-1, see ARCHITECTURE.md).
 */
final class TrustedSender {
    private TrustedSender() {
    }

    static SipTestClient open(TestServer server, String user, String password) throws IOException {
        SipTestClient c = SipTestClient.tcp(server.sipPort(Transport.TCP));
        Registration reg = new Registration(c, user);
        assertThat(reg.register(password, reg.contact(user + "-sender"), "3600", "").status()).isEqualTo(200);
        return c;
    }

    /** A MESSAGE from {@code user} to {@code target}, ready to send on the trusted connection. */
    static String message(SipTestClient c, String user, String target, String body) {
        return Pager.message(c, user, target, "text/plain", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "", null)
                + body;
    }
}
