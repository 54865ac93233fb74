package org.parley.xdm;

import org.parley.accounts.Account;
import org.parley.accounts.AccountAddresses;
import org.parley.accounts.AccountData;
import org.parley.xdm.contacts.ContactList;
import org.parley.xdm.contacts.ContactService;
import org.parley.xdm.oma.GroupAddresses;
import org.parley.xdm.oma.GroupContentUsage;
import org.parley.xdm.oma.GroupUsage;
import org.parley.xdm.search.DirectoryIndex;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the XDM server keeps about an account (C4), for its export (PP2-5) and its deletion: every
 * document under the account's XUI in every application usage, the shared folders of the groups it
 * owns (stored under each group's own address, GIM-9), its contact lists as the contacts API shows
 * them, and whether the directory lists it. Deletion goes through {@link XcapDocuments#delete}, so the
 * indexes kept from the documents (directory, temporary groups) and xcap-diff watchers follow as for
 * any XCAP DELETE. Documents of other users that mention the account (their contact lists, groups it
 * is a member of) are theirs and stay.
 */
public final class XdmAccountData {
    private final XcapDocuments documents;
    private final Supplier<List<String>> userAuids;
    private final GroupAddresses groups;
    private final ContactService contacts;
    private final DirectoryIndex directory;
    private final String domain;

    /** @param userAuids the AUIDs of users' documents (every usage but xcap-caps) */
    public XdmAccountData(XcapDocuments documents, Supplier<List<String>> userAuids, GroupAddresses groups,
                          ContactService contacts, DirectoryIndex directory, String domain) {
        this.documents = documents;
        this.userAuids = userAuids;
        this.groups = groups;
        this.contacts = contacts;
        this.directory = directory;
        this.domain = domain;
    }

    /** Every document of the account, as one section of the export and one erasure. */
    public AccountData documents() {
        return new AccountData() {
            @Override
            public String section() {
                return "xcapDocuments";
            }

            @Override
            public Object export(Account account) {
                return owned(xui(account)).stream().map(where -> documents.read(where).map(stored -> new DocumentView(
                        where.auid(), where.xui(), where.documentName(), stored.etag(),
                        new String(stored.content(), StandardCharsets.UTF_8)))).flatMap(Optional::stream).toList();
            }

            @Override
            public void erase(Account account) {
                // group folders first: their usage only accepts documents of groups that exist
                owned(xui(account)).forEach(documents::delete);
            }
        };
    }

    /** The contact lists (the same data as resource-lists, as {@code GET /api/v1/contacts} shows it); erased with the documents. */
    public AccountData contacts() {
        return new AccountData() {
            @Override
            public String section() {
                return "contacts";
            }

            @Override
            public Object export(Account account) {
                return contacts.lists(xui(account)).stream().map(ListView::of).toList();
            }

            @Override
            public void erase(Account account) {
                // kept in the resource-lists documents, which documents() deletes
            }
        };
    }

    /** Whether the directory lists the account (UC 5.19.6); its entry goes when its profile does. */
    public AccountData directory() {
        return new AccountData() {
            @Override
            public String section() {
                return "directory";
            }

            @Override
            public Object export(Account account) {
                return new DirectoryView(directory.listed(xui(account)));
            }

            @Override
            public void erase(Account account) {
                directory.reindex(xui(account));
            }
        };
    }

    private String xui(Account account) {
        return AccountAddresses.aor(account, domain);
    }

    /** The account's documents: the shared folders of its groups first, then its own under every usage. */
    private List<DocumentContext> owned(String xui) {
        List<DocumentContext> folders = new ArrayList<>();
        List<DocumentContext> own = new ArrayList<>();
        for (String auid : userAuids.get()) {
            for (String name : documents.documentNames(auid, xui)) {
                DocumentContext where = new DocumentContext(auid, false, xui, name);
                own.add(where);
                if (auid.equals(GroupUsage.AUID)) {
                    groups.uriOf(where).ifPresent(group -> documents.documentNames(GroupContentUsage.AUID, group)
                            .forEach(folder -> folders.add(new DocumentContext(GroupContentUsage.AUID, false, group, folder))));
                }
            }
        }
        folders.addAll(own);
        return folders;
    }

    /** A document in the export, byte-exact as stored (XCAP documents are UTF-8, RFC 4825 §6.5). */
    public record DocumentView(String auid, String xui, String document, String etag, String content) {
    }

    public record ListView(String name, String displayName, List<ContactView> contacts) {
        static ListView of(ContactList list) {
            return new ListView(list.name(), list.displayName().orElse(null),
                    list.contacts().stream().map(c -> new ContactView(c.uri(), c.nickname().orElse(null), c.pending()))
                            .toList());
        }
    }

    public record ContactView(String uri, String nickname, boolean pending) {
    }

    public record DirectoryView(boolean listed) {
    }
}
