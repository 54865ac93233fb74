package org.parley.presence;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.parley.xml.XmlWriter;

/**
 * The watcher information document (RFC 3858, application/watcherinfo+xml) of one presentity:
 * a single watcher-list for the presence package. Written on one line, no pretty-printing.
 */
final class WatcherInfo {
    static final String EVENT = "presence.winfo";
    static final String CONTENT_TYPE = "application/watcherinfo+xml";
    static final String NAMESPACE = "urn:ietf:params:xml:ns:watcherinfo";

    private WatcherInfo() {
    }

    /**
     * @param full     state="full": {@code watchers} are all the current ones; otherwise
     *                 state="partial": only those that changed, terminated ones included
     */
    static byte[] document(long version, boolean full, String resource, List<PresenceNotifier.Watcher> watchers) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<watcherinfo xmlns=\"").append(NAMESPACE).append("\" version=\"").append(version)
                .append("\" state=\"").append(full ? "full" : "partial").append("\">")
                .append("<watcher-list resource=\"").append(XmlWriter.escape(resource)).append("\" package=\"")
                .append(PresenceNotifier.EVENT).append("\">");
        for (PresenceNotifier.Watcher w : watchers) {
            sb.append("<watcher id=\"").append(XmlWriter.escape(w.id())).append("\" event=\"").append(w.event())
                    .append("\" status=\"").append(w.status()).append('"');
            if (w.displayName() != null) {
                sb.append(" display-name=\"").append(XmlWriter.escape(w.displayName())).append('"');
            }
            sb.append('>').append(XmlWriter.escape(w.uri())).append("</watcher>");
        }
        sb.append("</watcher-list></watcherinfo>");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

}
