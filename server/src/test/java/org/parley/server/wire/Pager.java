package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.parley.sip.message.SipResponse;

/** Sends pager-mode MESSAGEs (RFC 3428) from a test client, answering the 407 challenge (RFC 3261 §22.3). */
final class Pager {
    private final SipTestClient client;
    private final String user;
    private final String password;
    private int nc;
    private Digest challenge;

    Pager(SipTestClient client, String user, String password) {
        this.client = client;
        this.user = user;
        this.password = password;
    }

    static String message(SipTestClient from, String fromUser, String target, String contentType, byte[] body,
                          String extra, String proxyAuthorization) {
        return "MESSAGE " + target + " SIP/2.0\r\n"
                + "Via: " + from.via() + "\r\n"
                + "From: <sip:" + fromUser + "@localhost>;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: <" + target + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + extra.replace("\n", "\r\n")
                + (proxyAuthorization == null ? "" : "Proxy-Authorization: " + proxyAuthorization + "\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
    }

    /** Sends and returns the final response, answering one 407 with credentials if it comes. */
    SipResponse send(String target, String contentType, byte[] body, String extra) throws IOException {
        SipResponse r = sendOnce(target, contentType, body, extra, authorization(target));
        if (r.status() == 407) {
            challenge = Digest.parse(r.headers().lines("Proxy-Authenticate").get(0));
            nc = 0;
            r = sendOnce(target, contentType, body, extra, authorization(target));
        }
        return r;
    }

    SipResponse send(String target, String text) throws IOException {
        return send(target, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8), "");
    }

    private String authorization(String target) {
        if (challenge == null) {
            return null;
        }
        nc++;
        return challenge.authorization("MESSAGE", target, user, password, nc);
    }

    private SipResponse sendOnce(String target, String contentType, byte[] body, String extra, String auth) throws IOException {
        byte[] head = message(client, user, target, contentType, body, extra, auth).getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        client.sendBytes(all);
        SipResponse r = client.receiveResponse();
        assertThat(r.reason()).isNotBlank();
        return r;
    }
}
