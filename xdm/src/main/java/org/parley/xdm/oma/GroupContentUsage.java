package org.parley.xdm.oma;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.w3c.dom.Document;

/**
 * AUID org.parley.group-content: the shared content folder of a group (GIM-9), a Parley usage (OMA
 * has no such one). A group's folder is the users-tree directory named by the group URI, e.g.
 * {@code org.parley.group-content/users/sip:mary.zombies@groups.example.org/setlist}; the documents
 * in it may be any well-formed XML. Who may read and write them is not the usage's business but
 * {@link GroupContentPolicy}'s, which the XCAP layer asks before serving a request.
 */
public final class GroupContentUsage implements ApplicationUsage {
    public static final String AUID = "org.parley.group-content";
    public static final String MIME_TYPE = "application/vnd.parley.group-content+xml";

    private final GroupService groups;

    public GroupContentUsage(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public String auid() {
        return AUID;
    }

    @Override
    public String mimeType() {
        return MIME_TYPE;
    }

    /** Content documents have no namespace of their own; selectors name their elements with prefixes. */
    @Override
    public String defaultNamespace() {
        return "";
    }

    @Override
    public void validate(Document document, DocumentContext context) throws XcapConflict {
        if (context.global() || groups.find(context.xui()).isEmpty()) {
            throw new XcapConflict("constraint-failure", "shared content lives in the folder of an existing group");
        }
    }
}
