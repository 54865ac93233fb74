package org.parley.xdm.xcap;

import org.parley.xdm.XcapConflict;
import org.parley.xml.XmlException;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlSchema;
import org.w3c.dom.Document;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The XML toolkit ({@code org.parley.xml}) as XCAP reports its faults: every parse or schema
 * failure is the RFC 4825 §11 conflict the request earned, with the parser's words as phrase.
 */
public final class Xml {
    private static final Pattern ENCODING_DECL =
            Pattern.compile("^\\s*<\\?xml[^>]*encoding\\s*=\\s*[\"']([^\"']+)[\"']");

    private Xml() {
    }

    /** RFC 4825 §8.2.1: bodies must be UTF-8; anything else is the not-utf-8 conflict. */
    public static String utf8(byte[] body) throws XcapConflict {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            var declared = ENCODING_DECL.matcher(text);
            if (declared.find() && !declared.group(1).equalsIgnoreCase("UTF-8")) {
                throw new XcapConflict("not-utf-8", "The XML declaration names encoding " + declared.group(1));
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new XcapConflict("not-utf-8", "The body is not valid UTF-8");
        }
    }

    /** Parses a whole document; a parse failure is the given conflict (not-well-formed, not-xml-frag). */
    public static Document parse(byte[] body, String conflict) throws XcapConflict {
        try {
            return XmlParser.parse(body);
        } catch (XmlException e) {
            throw new XcapConflict(conflict, e.getMessage());
        }
    }

    public static Document parse(String text, String conflict) throws XcapConflict {
        try {
            return XmlParser.parse(text);
        } catch (XmlException e) {
            throw new XcapConflict(conflict, e.getMessage());
        }
    }

    /** A stored document (written by XCAP, so validated then); a parse failure is not-well-formed. */
    public static Document parse(byte[] stored) throws XcapConflict {
        return parse(stored, "not-well-formed");
    }

    /** Validates a whole document; any violation is the schema-validation-error conflict. */
    public static void validate(XmlSchema schema, Document document) throws XcapConflict {
        try {
            schema.validate(document);
        } catch (XmlException e) {
            throw new XcapConflict("schema-validation-error", e.getMessage());
        }
    }
}
