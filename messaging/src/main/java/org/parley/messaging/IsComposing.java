package org.parley.messaging;

import java.util.Arrays;
import java.util.Optional;
import org.parley.xml.XmlException;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlSchema;

/**
 * "Is typing" indications (RFC 3994; PP-37, PP-44): an {@code application/im-iscomposing+xml}
 * document, sent alone or wrapped in CPIM. They say something about now, so they are relayed to
 * devices online and never stored, counted against limits or charged, in pager and session mode.
 */
public final class IsComposing {
    public static final String CONTENT_TYPE = "application/im-iscomposing+xml";
    private static final XmlSchema SCHEMA = XmlSchema.load("xsd/im-iscomposing.xsd");
    private static final byte[] BLANK_LINE = {'\r', '\n', '\r', '\n'};

    private IsComposing() {
    }

    /**
     * Whether a body of {@code contentType} is an indication: the type itself, or a
     * {@code message/cpim} wrapper whose encapsulated content has it.
     */
    public static boolean is(String contentType, byte[] body) {
        String type = PagerService.baseType(contentType);
        if (type.equals(CONTENT_TYPE)) {
            return true;
        }
        return type.equals("message/cpim") && Cpim.parse(body).flatMap(Cpim::contentType)
                .map(PagerService::baseType).filter(CONTENT_TYPE::equals).isPresent();
    }

    /**
     * What is wrong with the indication a body of {@code contentType} carries (not well-formed,
     * not valid against RFC 3994's schema), or empty when it is a valid one.
     */
    public static Optional<String> problem(String contentType, byte[] body) {
        byte[] document = PagerService.baseType(contentType).equals(CONTENT_TYPE) ? body : encapsulated(body);
        try {
            SCHEMA.validate(XmlParser.parse(document));
            return Optional.empty();
        } catch (XmlException e) {
            return Optional.of("Invalid is-composing document (RFC 3994): " + e.getMessage());
        }
    }

    /** RFC 3862 §3: message headers, a blank line, the MIME headers, a blank line, the content. */
    private static byte[] encapsulated(byte[] cpim) {
        int first = indexOf(cpim, BLANK_LINE, 0);
        int second = first < 0 ? -1 : indexOf(cpim, BLANK_LINE, first + BLANK_LINE.length);
        return second < 0 ? new byte[0] : Arrays.copyOfRange(cpim, second + BLANK_LINE.length, cpim.length);
    }

    private static int indexOf(byte[] in, byte[] what, int from) {
        for (int i = from; i <= in.length - what.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        return -1;
    }
}
