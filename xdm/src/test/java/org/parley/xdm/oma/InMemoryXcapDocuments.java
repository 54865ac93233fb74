package org.parley.xdm.oma;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.xcap.Xml;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** (RFC 4825 document)
 * XcapDocuments in a map, validating writes with the usages given (unknown AUIDs are stored
 * unchecked, standing in for usages owned elsewhere), for tests that need no XCAP server.
 */
public final class InMemoryXcapDocuments implements XcapDocuments {
    private final Map<String, ApplicationUsage> usages = new ConcurrentHashMap<>();
    private final Map<DocumentContext, Stored> documents = new ConcurrentHashMap<>();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong etags = new AtomicLong();

    public InMemoryXcapDocuments(ApplicationUsage... usages) {
        for (ApplicationUsage usage : usages) {
            this.usages.put(usage.auid(), usage);
        }
    }

    @Override
    public Optional<Stored> read(DocumentContext where) {
        return Optional.ofNullable(documents.get(where));
    }

    @Override
    public synchronized String write(DocumentContext where, byte[] content, Optional<String> ifMatch)
            throws XcapConflict, PreconditionFailed {
        Stored current = documents.get(where);
        if (ifMatch != null) {
            boolean holds = ifMatch.isEmpty() ? current == null : current != null && current.etag().equals(ifMatch.get());
            if (!holds) {
                throw new PreconditionFailed("etag mismatch at " + where);
            }
        }
        ApplicationUsage usage = usages.get(where.auid());
        if (usage != null) {
            usage.validate(Xml.parse(content), where);
        }
        Stored stored = new Stored(content.clone(), "e" + etags.incrementAndGet());
        documents.put(where, stored);
        listeners.forEach(l -> l.changed(where, current == null ? null : current.etag(), stored.etag()));
        return stored.etag();
    }

    @Override
    public synchronized boolean delete(DocumentContext where) {
        Stored old = documents.remove(where);
        if (old != null) {
            listeners.forEach(l -> l.changed(where, old.etag(), null));
        }
        return old != null;
    }

    @Override
    public List<String> documentNames(String auid, String xui) {
        return documents.keySet().stream().filter(d -> d.auid().equals(auid) && !d.global() && d.xui().equals(xui))
                .map(DocumentContext::documentName).sorted().toList();
    }

    @Override
    public List<String> users(String auid) {
        return documents.keySet().stream().filter(d -> d.auid().equals(auid) && !d.global())
                .map(DocumentContext::xui).distinct().sorted().toList();
    }

    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }
}
