package org.parley.server;

import io.helidon.webserver.http.HttpService;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.parley.accounts.AccountDataService;
import org.parley.messaging.StoredLists;
import org.parley.sip.transaction.Cancellable;
import org.parley.sip.transaction.Scheduler;
import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.XdmAccountData;
import org.parley.xdm.xcap.ListReferences;
import org.parley.xdm.contacts.ContactNotifier;
import org.parley.xdm.contacts.ContactService;
import org.parley.xdm.contacts.ContactsResource;
import org.parley.xdm.oma.ActiveSessions;
import org.parley.xdm.oma.GroupAddresses;
import org.parley.xdm.oma.GroupContentPolicy;
import org.parley.xdm.oma.GroupContentUsage;
import org.parley.xdm.oma.GroupMembershipIndex;
import org.parley.xdm.oma.GroupService;
import org.parley.xdm.oma.GroupUsage;
import org.parley.xdm.oma.GroupUsageListUsage;
import org.parley.xdm.oma.GroupsResource;
import org.parley.xdm.oma.TemporaryGroupIndex;
import org.parley.xdm.oma.TemporaryGroupSweeper;
import org.parley.xdm.oma.UserProfileUsage;
import org.parley.xdm.search.DirectoryIndex;
import org.parley.xdm.search.DirectoryPolicy;
import org.parley.xdm.search.DirectoryResource;
import org.parley.xdm.search.DirectorySearch;
import org.parley.xdm.usage.ietf.IetfUsages;
import org.parley.xdm.usage.ietf.ServiceUris;
import org.parley.xdm.xcap.ApplicationUsages;
import org.parley.xdm.xcap.JdbiXcapStore;
import org.parley.xdm.xcap.XcapResource;
import org.parley.xdm.xcap.XcapService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XDM server (REQUIREMENTS.md C4): XCAP at /xcap-root with the IETF and OMA application
 * usages, the contact-list and directory user APIs, temporary groups, and its documents for the
 * services on the SIP side (stored recipient lists, xcap-diff).
 */
final class XdmComponent implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(XdmComponent.class);
    private static final int MAX_GROUP_MEMBERS = 1000;
    private static final Duration SWEEP = Duration.ofSeconds(60);

    private final ApplicationUsages usages;
    private final XcapService xcap;
    private final XcapResource resource;
    private final ContactService contacts;
    private final DirectorySearch directory;
    private final TemporaryGroupSweeper sweeper;
    private final XdmAccountData accountData;
    private final String domain;
    private final GroupService groups;
    private final GroupMembershipIndex memberships;
    private volatile ActiveSessions sessions = ActiveSessions.NONE;
    private volatile BiConsumer<String, String> notices = (aor, text) -> LOG.info("notice for {}: {}", aor, text);
    private final Scheduler scheduler;
    private volatile Cancellable sweeps;

    XdmComponent(ServerContext context, Scheduler scheduler) {
        this.domain = context.settings().domain();
        this.scheduler = scheduler;
        // the server's one time source, so that tests move XDM's clock with everything else's
        Clock clock = scheduler.withZone(ZoneOffset.UTC);
        JdbiXcapStore store = new JdbiXcapStore(context.database(), clock);
        GroupAddresses addresses = new GroupAddresses(domain, "groups." + domain);
        // RLS service URIs never take an account's address, by any of its identities (issue 9 §4)
        ServiceUris serviceUris = new ServiceUris(domain, user -> context.accounts().resolve(user).isPresent());
        List<ApplicationUsage> all = new ArrayList<>(IetfUsages.all(store, serviceUris));
        all.add(new GroupUsage(addresses, MAX_GROUP_MEMBERS));
        all.add(new GroupUsageListUsage());
        all.add(new UserProfileUsage());
        this.usages = new ApplicationUsages(all);
        this.xcap = new XcapService(store, usages);
        this.groups = new GroupService(xcap, addresses, clock);
        usages.register(new GroupContentUsage(groups));
        GroupContentPolicy content = new GroupContentPolicy(groups);
        // GIM-9: a group's shared folder is reached by its members, not only by its owner
        this.resource = new XcapResource(xcap, domain, (requester, uri, write) ->
                uri.auid().equals(GroupContentUsage.AUID) && content.permits(requester, uri.document(),
                        write ? GroupContentPolicy.Access.WRITE : GroupContentPolicy.Access.READ));
        DirectoryPolicy policy = DirectoryPolicy.defaults();
        DirectoryIndex index = DirectoryIndex.attach(context.database(), xcap, policy);
        this.directory = new DirectorySearch(context.database(), policy, clock);
        this.contacts = new ContactService(xcap, context.accounts(), domain, new Notify());
        this.accountData = new XdmAccountData(xcap, this::userAuids, addresses, contacts, index, domain);
        this.memberships = GroupMembershipIndex.attach(context.database(), xcap, addresses);
        this.sweeper = new TemporaryGroupSweeper(TemporaryGroupIndex.attach(context.database(), xcap, addresses), groups,
                groupUri -> sessions.active(groupUri), (owner, group) -> notices.accept(owner, "Your temporary group " + group
                + " has ended and was deleted."));
    }

    /** Where the users' notices go once the messaging server is up (it is built after this). */
    void noticesTo(BiConsumer<String, String> sink) {
        this.notices = sink;
    }

    /** Whether a group's chat goes on, from the conference focus (UC 5.12: a temporary group lives while it does). */
    void sessionsFrom(ActiveSessions source) {
        this.sessions = source;
    }

    GroupService groups() {
        return groups;
    }

    ListReferences listReferences() {
        return new ListReferences(xcap);
    }

    StoredLists storedLists() {
        return listReferences()::resolve;
    }

    XcapDocuments documents() {
        return xcap;
    }

    /** The AUIDs of users' documents, which xcap-diff subscriptions cover. */
    List<String> userAuids() {
        return usages.all().stream().map(ApplicationUsage::auid).filter(a -> !a.equals("xcap-caps")).toList();
    }

    @Override
    public String name() {
        return "xdm";
    }

    @Override
    public void start() {
        sweeps = scheduler.every(SWEEP, this::sweep);
    }

    private void sweep() {
        try {
            sweeper.sweep(scheduler.instant());
        } catch (RuntimeException e) {
            LOG.warn("temporary group sweep failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        Cancellable s = sweeps;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public void registerAccountData(AccountDataService data) {
        data.register(accountData.documents()).register(accountData.contacts()).register(accountData.directory());
    }

    @Override
    public Optional<HttpService> xcapService() {
        return Optional.of(resource);
    }

    @Override
    public List<HttpService> userServices() {
        return List.of(new ContactsResource(contacts),
                new DirectoryResource(directory, user -> "sip:" + user + "@" + domain),
                new GroupsResource(memberships, user -> "sip:" + user + "@" + domain));
    }

    /** UC 5.1 steps 21-38: the people involved hear of additions and approvals as messages. */
    private final class Notify implements ContactNotifier {
        @Override
        public void added(String targetXui, String byXui, boolean approvalNeeded) {
            notices.accept(targetXui, byXui + (approvalNeeded ? " asks to add you to their contacts."
                    : " added you to their contacts."));
        }

        @Override
        public void approved(String watcherXui, String targetXui) {
            notices.accept(watcherXui, targetXui + " accepted your contact request.");
        }

        @Override
        public void declined(String watcherXui, String targetXui) {
            notices.accept(watcherXui, targetXui + " declined your contact request.");
        }
    }
}
