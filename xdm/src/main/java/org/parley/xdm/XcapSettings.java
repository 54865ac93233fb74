package org.parley.xdm;

import org.parley.config.Config;

/**
 * @param maxBodyBytes the largest XCAP request body; larger ones get 413. XCAP documents are bigger
 *                     than the admin API's JSON: a buddy list of thousands of contacts.
 */
public record XcapSettings(long maxBodyBytes) {
    public XcapSettings {
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
    }

    /** The {@code xcap.*} keys; @throws org.parley.config.ConfigException naming the first bad key */
    public static XcapSettings from(Config c) {
        return new XcapSettings(c.positive("xcap.max-body-bytes"));
    }
}
