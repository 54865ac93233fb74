package org.parley.xdm;

import java.util.List;

/**
 * A 409 condition of RFC 4825 §11 (not-well-formed, not-xml-frag, no-parent, cannot-insert,
 * cannot-delete, uniqueness-failure, constraint-failure, schema-validation-error, not-utf-8),
 * reported to the client as an application/xcap-error+xml document.
 *
 * @param alternatives for uniqueness-failure: the field that clashed and suggested alternatives
 */
public final class XcapConflict extends Exception {
    private final String condition;
    private final String field;
    private final List<String> alternatives;

    public XcapConflict(String condition, String phrase) {
        this(condition, phrase, null, List.of());
    }

    public XcapConflict(String condition, String phrase, String field, List<String> alternatives) {
        super(phrase, null, false, false);
        this.condition = condition;
        this.field = field;
        this.alternatives = List.copyOf(alternatives);
    }

    public String condition() {
        return condition;
    }

    public String field() {
        return field;
    }

    public List<String> alternatives() {
        return alternatives;
    }
}
