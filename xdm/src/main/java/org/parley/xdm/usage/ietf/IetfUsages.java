package org.parley.xdm.usage.ietf;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.xcap.JdbiXcapStore;

import java.util.List;

/** The IETF application usages (xcap-caps comes with the registry itself). */
public final class IetfUsages {
    private IetfUsages() {
    }

    public static List<ApplicationUsage> all(JdbiXcapStore store, ServiceUris serviceUris) {
        return List.of(new ResourceListsUsage(), new RlsServicesUsage(store, serviceUris), new PresRulesUsage());
    }
}
