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

    /**
     * An out-of-dialog request from {@code user} (PUBLISH, SUBSCRIBE...) with the trusted
     * connection as Contact. Bodies must have no line breaks: the client sends LF as CRLF.
     */
    static String request(SipTestClient c, String method, String user, String target, String extra, String body) {
        return method + " " + target + " SIP/2.0\r\nVia: " + c.via() + "\r\nFrom: <sip:" + user + "@localhost>;tag="
                + java.util.UUID.randomUUID().toString().substring(0, 8) + "\r\nTo: <" + target + ">\r\nCall-ID: "
                + java.util.UUID.randomUUID() + "\r\nCSeq: 1 " + method + "\r\nMax-Forwards: 70\r\nContact: <sip:" + user
                + "@127.0.0.1:" + c.localPort() + ";transport=tcp>\r\n" + extra + "Content-Length: "
                + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** A MESSAGE from {@code user} to {@code target}, ready to send on the trusted connection. */
    static String message(SipTestClient c, String user, String target, String body) {
        return Pager.message(c, user, target, "text/plain", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "", null)
                + body;
    }
}
