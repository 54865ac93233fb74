package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.UUID;
import org.parley.sip.message.SipResponse;

/** Builds REGISTER requests for wire tests and walks the digest challenge (RFC 3261 §10, §22; RFC 7616). */
public final class Registration {
    private final SipTestClient client;
    private final String user;
    private final String callId = UUID.randomUUID().toString();
    private int cseq;
    private int nc;
    private Digest challenge;

    public Registration(SipTestClient client, String user) {
        this.client = client;
        this.user = user;
    }

    public String contact(String tag) {
        return "<sip:" + tag + "@127.0.0.1:" + client.localPort() + ";transport=" + client.transport().toLowerCase() + ">";
    }

    public String request(String aorUser, String contactHeader, String expires, String extraHeaders, String authorization) {
        cseq++;
        return "REGISTER sip:localhost SIP/2.0\n"
                + "Via: " + client.via() + "\n"
                + "From: <sip:" + aorUser + "@localhost>;tag=" + callId.substring(0, 8) + "\n"
                + "To: <sip:" + aorUser + "@localhost>\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + " REGISTER\n"
                + (contactHeader == null ? "" : "Contact: " + contactHeader + "\n")
                + (expires == null ? "" : "Expires: " + expires + "\n")
                + "Max-Forwards: 70\n"
                + "User-Agent: parley-wire-test\n"
                + extraHeaders
                + (authorization == null ? "" : "Authorization: " + authorization + "\n")
                + "Content-Length: 0\n\n";
    }

    /** Sends without credentials, expects 401 and keeps the first challenge offered. */
    public SipResponse challenge(String aorUser, String contact, String expires, String extra) throws IOException {
        client.send(request(aorUser, contact, expires, extra, null));
        SipResponse r = client.receiveResponse();
        assertThat(r.status()).as(r.startLine()).isEqualTo(401);
        challenge = Digest.parse(r.headers().lines("WWW-Authenticate").get(0));
        nc = 0;
        return r;
    }

    /** Answers the kept challenge (nonce-count increasing) and returns the final response. */
    public SipResponse answer(String aorUser, String password, String contact, String expires, String extra) throws IOException {
        nc++;
        client.send(request(aorUser, contact, expires, extra,
                challenge.authorization("REGISTER", "sip:localhost", user, password, nc)));
        return client.receiveResponse();
    }

    /** Challenge, then answer: the usual two-step registration. */
    public SipResponse register(String password, String contact, String expires, String extra) throws IOException {
        challenge(user, contact, expires, extra);
        return answer(user, password, contact, expires, extra);
    }

    public Digest lastChallenge() {
        return challenge;
    }

    public void useChallenge(Digest d) {
        challenge = d;
        nc = 0;
    }
}
