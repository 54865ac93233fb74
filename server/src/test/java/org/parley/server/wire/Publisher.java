package org.parley.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.parley.server.TestServer;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Transport;

/**
 * A presentity's event publication agent over UDP (RFC 3903, PIDF of RFC 3863 with RPID of
 * RFC 4480), answering the server's 407 (RFC 3261 §22.3). The first {@link #publish} creates the
 * publication; later ones modify the same publication by its entity tag (RFC 3903 §4.4), the way
 * one Asterisk device changed state in the scenarios these tests adapt. It does not register, so
 * the presentity's document holds the published tuple and the closed tuple of "no device".
 */
final class Publisher implements AutoCloseable {
    private final SipTestClient client;
    private final String user;
    private final String password;
    private final String target;
    private Digest challenge;
    private int nc;
    private String etag;

    Publisher(TestServer server, String user, String password) throws IOException {
        this.client = SipTestClient.udp(server.sipPort(Transport.UDP));
        this.user = user;
        this.password = password;
        this.target = "sip:" + user + "@localhost";
    }

    /**
     * A PIDF document for this user with one tuple (id = the user name, contact priority 1), a
     * presence-level note and, when given, one RPID activity of the person; no line breaks, so
     * the bytes are exactly what the watcher's NOTIFY carries back.
     */
    String pidf(String note, boolean open, String activity) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                + "xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" "
                + "entity=\"" + target + "\"><tuple id=\"" + user + "\"><status><basic>" + (open ? "open" : "closed")
                + "</basic></status><contact priority=\"1\">" + target + "</contact></tuple><note>" + note + "</note>"
                + (activity == null ? "" : "<dm:person id=\"" + user + "-person\"><rpid:activities>" + activity
                + "</rpid:activities></dm:person>") + "</presence>";
    }

    /** Publishes (or, after the first, modifies the publication to) this document; fails unless 200. */
    void publish(String pidf) throws IOException {
        send(pidf.getBytes(StandardCharsets.UTF_8));
    }

    /** Refreshes the publication without a body (RFC 3903 §4.2): its state stays as it was. */
    void refresh() throws IOException {
        assertThat(etag).as("refresh needs a publication").isNotNull();
        send(new byte[0]);
    }

    private void send(byte[] body) throws IOException {
        SipResponse r = sendOnce(body);
        if (r.status() == 407) {
            challenge = Digest.parse(r.headers().lines("Proxy-Authenticate").get(0));
            nc = 0;
            r = sendOnce(body);
        }
        assertThat(r.status()).as("PUBLISH by " + user + ": " + r.startLine()).isEqualTo(200);
        etag = r.header("SIP-ETag").orElseThrow();
    }

    private SipResponse sendOnce(byte[] body) throws IOException {
        String auth = challenge == null ? null : challenge.authorization("PUBLISH", target, user, password, ++nc);
        String head = "PUBLISH " + target + " SIP/2.0\r\n"
                + "Via: " + client.via() + "\r\n"
                + "From: <" + target + ">;tag=" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "To: <" + target + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\n"
                + "CSeq: 1 PUBLISH\r\n"
                + "Max-Forwards: 70\r\n"
                + "Event: presence\r\n"
                + "Expires: 600\r\n"
                + (etag == null ? "" : "SIP-If-Match: " + etag + "\r\n")
                + (body.length == 0 ? "" : "Content-Type: application/pidf+xml\r\n")
                + (auth == null ? "" : "Proxy-Authorization: " + auth + "\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        client.sendBytes(all);
        return client.receiveResponse();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
