package org.parley.server;

import io.helidon.webserver.http.HttpService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.messaging.StoredLists;
import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.usage.ietf.IetfUsages;
import org.parley.xdm.xcap.ApplicationUsages;
import org.parley.xdm.xcap.JdbiXcapStore;
import org.parley.xdm.xcap.XcapResource;
import org.parley.xdm.xcap.XcapService;

/**
 * The XDM server (REQUIREMENTS.md C4): XCAP at /xcap-root on the HTTP side, and its documents
 * for the services on the SIP side (the messaging server's stored recipient lists).
 */
final class XdmComponent implements Component {
    private final XcapService xcap;
    private final XcapResource resource;

    XdmComponent(ServerContext context) {
        JdbiXcapStore store = new JdbiXcapStore(context.database(), Clock.systemUTC());
        List<ApplicationUsage> usages = new ArrayList<>(IetfUsages.all(store));
        this.xcap = new XcapService(store, new ApplicationUsages(usages));
        this.resource = new XcapResource(xcap, context.settings().domain());
    }

    StoredLists storedLists() {
        return new XcapStoredLists(xcap);
    }

    @Override
    public String name() {
        return "xdm";
    }

    @Override
    public void start() {
        // stateless over the store: nothing to start
    }

    @Override
    public void stop() {
        // nothing held
    }

    @Override
    public Optional<HttpService> xcapService() {
        return Optional.of(resource);
    }
}
