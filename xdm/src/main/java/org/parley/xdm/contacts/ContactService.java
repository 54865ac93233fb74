package org.parley.xdm.contacts;

import org.parley.accounts.AccountService;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.oma.DocumentUpdates;
import org.parley.xdm.oma.UserProfile;
import org.parley.xdm.oma.UserProfileUsage;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Contact lists (buddy lists) kept in each user's resource-lists document "index", one
 * {@code <list>} per contact list: create, add, rename, move and delete (UC 5.1, 5.9, 5.11, 5.19;
 * Modify Contact Name reqs).
 *
 * <p>Adding a local user is a contact request (UC 5.1 steps 22 to 38, UC 5.3, GU-5): "authorisation
 * on" is the default, so the entry is pending and the target is told and finds the request in
 * {@link #requests}; approving writes an allow rule for the watcher into the approver's pres-rules
 * (so the watcher's presence subscription turns active at once), declining a block rule (so it
 * ends); either way the watcher is told. A target whose pres-rules already allow the watcher is
 * added at once, and one who switched authorisation off in their user profile approves every
 * request automatically.
 *
 * <p>Every change goes through {@link XcapDocuments}, under the document's ETag, so the usage's
 * validation applies and the user's other devices are told through XCAP change notification.
 */
public final class ContactService {
    private final DocumentUpdates documents;
    private final ContactIdentifiers identifiers;
    private final ContactNotifier notifier;

    /** @param domain the SIP domain of local users' XUIs */
    public ContactService(XcapDocuments documents, AccountService accounts, String domain, ContactNotifier notifier) {
        this.documents = new DocumentUpdates(documents);
        this.identifiers = new ContactIdentifiers(accounts, domain);
        this.notifier = notifier;
    }

    public String xuiOf(String username) {
        return identifiers.xui(username);
    }

    public List<ContactList> lists(String ownerXui) {
        return documents.read(ResourceListsXml.of(ownerXui))
                .map(doc -> ResourceListsXml.lists(doc).stream().map(ResourceListsXml::view).toList())
                .orElse(List.of());
    }

    public ContactList createList(String ownerXui, String name, Optional<String> displayName) {
        checkName("list name", name);
        return edit(ownerXui, doc -> {
            if (ResourceListsXml.list(doc, name).isPresent()) {
                throw conflict("there is already a list " + name);
            }
            return ResourceListsXml.view(ResourceListsXml.addList(doc, name, displayName));
        });
    }

    public void deleteList(String ownerXui, String name) {
        edit(ownerXui, doc -> {
            Element list = existingList(doc, name);
            return list.getParentNode().removeChild(list);
        });
    }

    /**
     * Adds a contact named by user name, alias, E.164 number or XUI (UC 5.19, PP-45) to a list,
     * creating the list if need be. The contact is told (UC 5.19 "a system message is sent to User
     * B"); if they have "authorisation on" and have not already allowed the owner, the entry is
     * pending until they approve.
     *
     * @param nickname the owner's name for the contact; by default the contact's own alias
     */
    public Contact add(String ownerXui, String listName, String identifier, Optional<String> nickname) {
        checkName("list name", listName);
        nickname.ifPresent(n -> checkName("nickname", n));
        ContactIdentifiers.Target target = identifiers.resolve(identifier);
        if (target.uri().equalsIgnoreCase(ownerXui)) {
            throw new ContactException(ContactException.Kind.INVALID, "you cannot add yourself");
        }
        Authorisation authorisation = target.local() ? authorisation(target.uri(), ownerXui) : Authorisation.NONE;
        boolean approvalNeeded = authorisation == Authorisation.ASK;
        Contact added = edit(ownerXui, doc -> {
            Element list = ResourceListsXml.list(doc, listName)
                    .orElseGet(() -> ResourceListsXml.addList(doc, listName, Optional.empty()));
            if (ResourceListsXml.entry(list, target.uri()).isPresent()) {
                throw conflict(target.uri() + " is already in list " + listName);
            }
            Optional<String> name = nickname.or(target::defaultNickname);
            if (name.isPresent() && ResourceListsXml.nicknameTaken(list, name.get(), null)) {
                throw nicknameTaken(list, name.get());
            }
            Element entry = ResourceListsXml.addEntry(list, target.uri(), name);
            ResourceListsXml.setPending(entry, approvalNeeded);
            return ResourceListsXml.contact(entry);
        });
        if (authorisation == Authorisation.AUTOMATIC) {
            allow(target.uri(), ownerXui);
        }
        if (target.local()) {
            notifier.added(target.uri(), ownerXui, approvalNeeded);
        }
        return added;
    }

    /**
     * The contact requests addressed to {@code targetXui}: every user with a pending entry for
     * them, oldest document first. Read across all contact lists, as there is no index of
     * requests: fine for the lists of one domain, a table when that grows.
     */
    public List<ContactRequest> requests(String targetXui) {
        List<ContactRequest> requests = new ArrayList<>();
        for (String watcher : documents.documents().users(ResourceListsXml.AUID)) {
            documents.read(ResourceListsXml.of(watcher)).ifPresent(doc -> {
                for (Element list : ResourceListsXml.lists(doc)) {
                    Optional<Element> entry = ResourceListsXml.entry(list, targetXui).filter(ResourceListsXml::pending);
                    if (entry.isPresent()) {
                        requests.add(new ContactRequest(watcher, list.getAttribute("name")));
                        return;
                    }
                }
            });
        }
        return requests;
    }

    /**
     * Renames an entry (UC 5.11; Modify Contact Name): the new nickname must be unique in its
     * list; only the name changes, so everything else the entry holds stays with it.
     *
     * @return the list as it is now (UC 5.11 step 8: "responds with updated contact list information")
     */
    public ContactList rename(String ownerXui, String listName, String uri, String nickname) {
        checkName("nickname", nickname);
        return edit(ownerXui, doc -> {
            Element list = existingList(doc, listName);
            Element entry = existingEntry(list, uri);
            if (ResourceListsXml.nicknameTaken(list, nickname, entry)) {
                throw nicknameTaken(list, nickname);
            }
            ResourceListsXml.setNickname(entry, nickname.strip());
            return ResourceListsXml.view(list);
        });
    }

    /** Moves an entry, whole, to another list (UC 5.9 alternative flow step 10), creating that list if need be. */
    public void move(String ownerXui, String fromList, String uri, String toList) {
        checkName("list name", toList);
        edit(ownerXui, doc -> {
            Element entry = existingEntry(existingList(doc, fromList), uri);
            Element target = ResourceListsXml.list(doc, toList)
                    .orElseGet(() -> ResourceListsXml.addList(doc, toList, Optional.empty()));
            if (target == entry.getParentNode()) {
                return null;
            }
            if (ResourceListsXml.entry(target, uri).isPresent()) {
                throw conflict(uri + " is already in list " + toList);
            }
            Optional<String> name = ResourceListsXml.nickname(entry);
            if (name.isPresent() && ResourceListsXml.nicknameTaken(target, name.get(), null)) {
                throw nicknameTaken(target, name.get());
            }
            return target.appendChild(entry);
        });
    }

    /** Takes an entry off a list (UC 5.9 step 10). */
    public void remove(String ownerXui, String listName, String uri) {
        edit(ownerXui, doc -> {
            Element entry = existingEntry(existingList(doc, listName), uri);
            return entry.getParentNode().removeChild(entry);
        });
    }

    /**
     * The target approves the watcher's request (UC 5.1 step 35): an allow rule for the watcher
     * goes into the target's pres-rules, the watcher's pending entries for the target become
     * ordinary ones, and the watcher is told (step 38).
     */
    public void approve(String targetXui, String watcher) {
        String watcherXui = requester(watcher);
        clearPending(watcherXui, targetXui, false);
        allow(targetXui, watcherXui);
        notifier.approved(watcherXui, targetXui);
    }

    /**
     * The target declines: the watcher's pending entries for them go, a block rule for the
     * watcher goes into the target's pres-rules (so a pending presence subscription ends, RFC 5025
     * §3.2.1), and the watcher is told.
     */
    public void decline(String targetXui, String watcher) {
        String watcherXui = requester(watcher);
        clearPending(watcherXui, targetXui, true);
        rule(targetXui, doc -> PresRulesXml.block(doc, watcherXui));
        notifier.declined(watcherXui, targetXui);
    }

    /** Who asked, named as a contact is (user name, alias, E.164 number or XUI); local users only. */
    private String requester(String identifier) {
        ContactIdentifiers.Target watcher = identifiers.resolve(identifier);
        if (!watcher.local()) {
            throw new ContactException(ContactException.Kind.NOT_FOUND, identifier + " is not a user here");
        }
        return watcher.uri();
    }

    private void allow(String targetXui, String watcherXui) {
        rule(targetXui, doc -> PresRulesXml.allow(doc, watcherXui));
    }

    private void rule(String targetXui, java.util.function.Consumer<Document> change) {
        try {
            documents.update(PresRulesXml.of(targetXui), PresRulesXml::blank, doc -> {
                change.accept(doc);
                return null;
            });
        } catch (XcapConflict e) {
            throw new IllegalStateException("the pres-rules usage refused a rule: " + e.getMessage(), e);
        }
    }

    /** Clears (or drops) the watcher's pending entries for the target. */
    private void clearPending(String watcherXui, String targetXui, boolean drop) {
        ContactException noRequest = new ContactException(ContactException.Kind.NOT_FOUND,
                watcherXui + " has not asked to add you");
        if (documents.read(ResourceListsXml.of(watcherXui)).isEmpty()) {
            throw noRequest;
        }
        edit(watcherXui, doc -> {
            List<Element> pending = new ArrayList<>();
            for (Element list : ResourceListsXml.lists(doc)) {
                ResourceListsXml.entry(list, targetXui).filter(ResourceListsXml::pending).ifPresent(pending::add);
            }
            for (Element entry : pending) {
                if (drop) {
                    entry.getParentNode().removeChild(entry);
                } else {
                    ResourceListsXml.setPending(entry, false);
                }
            }
            if (pending.isEmpty()) {
                throw noRequest;
            }
            return null;
        });
    }

    /** How a request to a local user is authorised. */
    private enum Authorisation {
        /** Already allowed by the target's pres-rules, or not a local user. */
        NONE,
        /** The target is asked (the default, "authorisation on"). */
        ASK,
        /** The target switched authorisation off: every request is approved. */
        AUTOMATIC
    }

    private Authorisation authorisation(String targetXui, String watcherXui) {
        if (documents.read(PresRulesXml.of(targetXui)).map(doc -> PresRulesXml.allows(doc, watcherXui)).orElse(false)) {
            return Authorisation.NONE;
        }
        boolean required = documents.read(UserProfileUsage.of(targetXui)).map(UserProfile::read)
                .map(UserProfile::authorisationRequired).orElse(true);
        return required ? Authorisation.ASK : Authorisation.AUTOMATIC;
    }

    private static Element existingList(Document doc, String name) {
        return ResourceListsXml.list(doc, name)
                .orElseThrow(() -> new ContactException(ContactException.Kind.NOT_FOUND, "there is no list " + name));
    }

    private static Element existingEntry(Element list, String uri) {
        return ResourceListsXml.entry(list, uri).orElseThrow(() -> new ContactException(
                ContactException.Kind.NOT_FOUND, "list " + list.getAttribute("name") + " has no contact " + uri));
    }

    /** The failure answer of Modify Contact Name, with a free name to offer instead. */
    private static ContactException nicknameTaken(Element list, String nickname) {
        String suggestion = nickname.strip();
        for (int n = 2; ResourceListsXml.nicknameTaken(list, suggestion, null); n++) {
            suggestion = nickname.strip() + " (" + n + ")";
        }
        return conflict("the nickname " + nickname.strip() + " is already used in list "
                + list.getAttribute("name") + "; " + suggestion + " is free");
    }

    private static ContactException conflict(String message) {
        return new ContactException(ContactException.Kind.CONFLICT, message);
    }

    private static void checkName(String what, String value) {
        if (value == null || value.isBlank() || value.length() > 128) {
            throw new ContactException(ContactException.Kind.INVALID, what + " must be 1 to 128 characters");
        }
    }

    /** Edits the owner's resource-lists document, starting an empty one if they have none yet. */
    private <R> R edit(String ownerXui, DocumentUpdates.Edit<R> edit) {
        try {
            return documents.update(ResourceListsXml.of(ownerXui), ResourceListsXml::blank, edit);
        } catch (XcapConflict e) {
            throw new ContactException(ContactException.Kind.CONFLICT, e.condition() + ": " + e.getMessage());
        }
    }
}
