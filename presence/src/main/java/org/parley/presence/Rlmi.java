package org.parley.presence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.parley.xdm.oma.Dom;
import org.parley.xml.XmlParser;
import org.parley.xml.XmlWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The body of a resource list NOTIFY (RFC 4662 §5): multipart/related with the RLMI document
 * first (the list, its version, full or partial state, a resource element per member and an
 * instance per back-end subscription) and then the presence document of each active instance,
 * found by its Content-ID.
 */
final class Rlmi {
    static final String CONTENT_TYPE = "application/rlmi+xml";
    static final String NS = "urn:ietf:params:xml:ns:rlmi";

    /**
     * One member of the list as this NOTIFY tells it.
     *
     * @param instance null when there is no back-end subscription (not a local user, not yet)
     * @param state    active, pending or terminated
     * @param reason   why terminated (rejected, noresource), else null
     * @param pidf     the presence document of an active instance, else null
     */
    record Resource(String uri, String name, String instance, String state, String reason, byte[] pidf) {
    }

    /** A NOTIFY body and the Content-Type header that goes with it. */
    record Body(String contentType, byte[] bytes) {
    }

    private Rlmi() {
    }

    static Body notification(String listUri, String listName, long version, boolean fullState, List<Resource> resources,
                             String host) {
        Document doc = XmlParser.newDocument();
        Element list = doc.createElementNS(NS, "list");
        list.setAttribute("uri", listUri);
        list.setAttribute("version", Long.toString(version));
        list.setAttribute("fullState", Boolean.toString(fullState));
        doc.appendChild(list);
        if (listName != null && !listName.isBlank()) {
            Dom.append(list, NS, "name", listName);
        }
        String boundary = "rlmi-" + UUID.randomUUID();
        String start = "<list-" + version + "-" + UUID.randomUUID() + "@" + host + ">";
        ByteArrayOutputStream parts = new ByteArrayOutputStream();
        for (Resource r : resources) {
            Element resource = Dom.append(list, NS, "resource", null);
            resource.setAttribute("uri", r.uri());
            if (r.name() != null && !r.name().isBlank()) {
                Dom.append(resource, NS, "name", r.name());
            }
            if (r.instance() == null) {
                continue;
            }
            Element instance = Dom.append(resource, NS, "instance", null);
            instance.setAttribute("id", r.instance());
            instance.setAttribute("state", r.state());
            if (r.reason() != null) {
                instance.setAttribute("reason", r.reason());
            }
            if (r.pidf() != null) {
                String cid = r.instance() + "." + version + "@" + host;
                instance.setAttribute("cid", cid);
                part(parts, boundary, "<" + cid + ">", Pidf.CONTENT_TYPE, r.pidf());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, start, CONTENT_TYPE, XmlWriter.document(doc));
        body.writeBytes(parts.toByteArray());
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Body("multipart/related;type=\"" + CONTENT_TYPE + "\";start=\"" + start + "\";boundary=\""
                + boundary + "\"", body.toByteArray());
    }

    private static void part(ByteArrayOutputStream out, String boundary, String contentId, String type, byte[] content) {
        out.writeBytes(("--" + boundary + "\r\nContent-Transfer-Encoding: binary\r\nContent-ID: " + contentId
                + "\r\nContent-Type: " + type + ";charset=\"UTF-8\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
}
