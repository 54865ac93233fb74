package org.parley.xdm.xcap;

import org.parley.xdm.ApplicationUsage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The application usages this XCAP server serves, by AUID. The xcap-caps usage (RFC 4825 §12),
 * which every XCAP server must offer, is always present and lists the others.
 */
public final class ApplicationUsages {
    private final Map<String, ApplicationUsage> byAuid;

    public ApplicationUsages(List<? extends ApplicationUsage> usages) {
        Map<String, ApplicationUsage> map = Collections.synchronizedMap(new LinkedHashMap<>());
        map.put(XcapCapsUsage.AUID, new XcapCapsUsage(this));
        this.byAuid = map;
        usages.forEach(this::register);
    }

    /**
     * Adds a usage after construction: some usages need the XCAP service built on this registry
     * (group content needs the groups), so they can only come last.
     */
    public void register(ApplicationUsage usage) {
        if (byAuid.putIfAbsent(usage.auid(), usage) != null) {
            throw new IllegalArgumentException("Two application usages for AUID " + usage.auid());
        }
    }

    public Optional<ApplicationUsage> find(String auid) {
        return Optional.ofNullable(byAuid.get(auid));
    }

    /** All usages, xcap-caps first, then in registration order. */
    public List<ApplicationUsage> all() {
        synchronized (byAuid) {
            return new ArrayList<>(byAuid.values());
        }
    }
}
