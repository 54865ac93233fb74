package org.parley.server.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.parley.sip.message.SipResponse;

/**
 * Sends an INVITE offering one MSRP stream (RFC 4975 §8) from a test client, answering the 407
 * challenge (RFC 3261 §22.3) and acknowledging every final response (§17.1.1.3 for non-2xx,
 * §13.2.2.4 for the 2xx).
 */
final class MsrpInvite {
    private final SipTestClient client;
    private final String user;
    private final String password;

    MsrpInvite(SipTestClient client, String user, String password) {
        this.client = client;
        this.user = user;
        this.password = password;
    }

    /** An offer of {@code path} (the offerer's own MSRP URI) with a direction ("sendrecv", "sendonly"...). */
    static String offer(String path, String direction) {
        return "v=0\r\no=" + "alice 2890844526 2890844527 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=message " + path.replaceAll(".*:(\\d+)/.*", "$1") + " TCP/MSRP *\r\n"
                + "a=accept-types:message/cpim text/plain\r\na=" + direction + "\r\na=path:" + path + "\r\n";
    }

    /** Sends, answers one 407, acknowledges the final response and returns it. */
    SipResponse send(String target, byte[] sdp, String extraHeaders) throws IOException {
        String callId = UUID.randomUUID().toString();
        String fromTag = UUID.randomUUID().toString().substring(0, 8);
        SipResponse r = once(target, sdp, extraHeaders, callId, fromTag, 1, null);
        if (r.status() == 407) {
            Digest challenge = Digest.parse(r.headers().lines("Proxy-Authenticate").get(0));
            r = once(target, sdp, extraHeaders, callId, fromTag, 2,
                    challenge.authorization("INVITE", target, user, password, 1));
        }
        return r;
    }

    private SipResponse once(String target, byte[] sdp, String extra, String callId, String fromTag, int cseq,
                             String authorization) throws IOException {
        String via = client.via();
        String head = "INVITE " + target + " SIP/2.0\r\n"
                + "Via: " + via + "\r\n"
                + "From: <sip:" + user + "@localhost>;tag=" + fromTag + "\r\n"
                + "To: <" + target + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " INVITE\r\n"
                + "Max-Forwards: 70\r\n"
                + "Contact: <sip:" + user + "@" + client.localAddress() + ":" + client.localPort() + ">\r\n"
                + extra.replace("\n", "\r\n")
                + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n")
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + sdp.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(sdp, 0, all, h.length, sdp.length);
        client.sendBytes(all);
        SipResponse r = client.receiveResponse();
        // a retransmission of the previous transaction's 407 (its ACK came late) is not this answer
        while (!r.header("CSeq").orElseThrow().startsWith(cseq + " ")) {
            r = client.receiveResponse();
        }
        String to = r.header("To").orElseThrow();
        // non-2xx: the ACK of the same transaction (same branch); 2xx: a new transaction to the Contact
        String ackVia = r.isSuccess() ? client.via() : via;
        String ackTarget = r.isSuccess() ? r.header("Contact").orElseThrow().replaceAll("^<|>$", "") : target;
        client.send("ACK " + ackTarget + " SIP/2.0\r\nVia: " + ackVia + "\r\nFrom: <sip:" + user + "@localhost>;tag="
                + fromTag + "\r\nTo: " + to + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                + " ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        return r;
    }

    /** Ends the session the 2xx {@code ok} made (RFC 3261 §15.1.1). */
    SipResponse bye(SipResponse ok, String target) throws IOException {
        String contact = ok.header("Contact").orElseThrow().replaceAll("^<|>$", "");
        client.send("BYE " + contact + " SIP/2.0\r\nVia: " + client.via() + "\r\nFrom: " + ok.header("From").orElseThrow()
                + "\r\nTo: " + ok.header("To").orElseThrow() + "\r\nCall-ID: " + ok.callId() + "\r\nCSeq: 3 BYE\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        return client.receiveResponse();
    }
}
