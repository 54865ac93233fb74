package org.parley.xdm.oma;

/** Parley's own namespace for what the OMA and IETF documents have no element for (parley-xdm-ext.xsd). */
public final class ParleyExtensions {
    public static final String NS = "urn:parley:xml:ns:xdm-ext";
    public static final String SCHEMA = "xsd/oma/parley-xdm-ext.xsd";

    private ParleyExtensions() {
    }
}
