package org.parley.server.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipParser;
import org.parley.sip.message.SipRequest;

/**
 * The messages a SIPp run received, read back from its message trace (-trace_msg -message_file),
 * so that a test can check NOTIFY bodies as documents (RFC 3863, RFC 4662) where a SIPp regular
 * expression would only see text. The Asterisk suite did this with a pcap listener and Python
 * parsers; the trace is what SIPp itself saw, with no capture privileges needed.
 */
final class SippMessageLog {
    /** "UDP message received [565] bytes :" then an empty line, then exactly that many bytes. */
    private static final Pattern RECEIVED = Pattern.compile("(?:UDP|TCP|TLS) message received \\[(\\d+)\\] bytes :\\r?\\n\\r?\\n");

    private SippMessageLog() {
    }

    /** SIPp options that write the trace to {@code file}. */
    static String[] options(Path file) {
        return new String[] {"-trace_msg", "-message_file", file.toAbsolutePath().toString()};
    }

    /** Every message SIPp received, in order, parsed strictly (a NOTIFY that does not parse fails the test). */
    static List<SipMessage> received(Path file) throws IOException {
        // ISO-8859-1 maps bytes to chars one to one, so the byte counts SIPp logs are char counts here
        String log = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        List<SipMessage> out = new ArrayList<>();
        Matcher m = RECEIVED.matcher(log);
        while (m.find()) {
            int length = Integer.parseInt(m.group(1));
            String raw = log.substring(m.end(), Math.min(log.length(), m.end() + length));
            out.add(SipParser.parse(raw.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return out;
    }

    /** The NOTIFY requests SIPp received, in order, without retransmissions (same CSeq seen twice). */
    static List<SipRequest> notifies(Path file) throws IOException {
        List<SipRequest> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (SipMessage m : received(file)) {
            if (m instanceof SipRequest r && r.isMethod("NOTIFY")) {
                String key = r.callId() + " " + r.header("CSeq").orElse("");
                if (!seen.contains(key)) {
                    seen.add(key);
                    out.add(r);
                }
            }
        }
        return out;
    }
}
