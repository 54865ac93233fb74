package org.parley.server;

import java.nio.file.Path;
import java.util.Optional;
import org.parley.accounts.AccountMemorySettings;
import org.parley.accounts.AuthAttemptData;
import org.parley.accounts.AuthAttemptJournalSettings;
import org.parley.accounts.digest.DigestSettings;
import org.parley.accounts.gate.GateSettings;
import org.parley.conference.ConferenceSettings;
import org.parley.config.Config;
import org.parley.config.ConfigException;
import org.parley.http.HttpSettings;
import org.parley.messaging.MessagingSettings;
import org.parley.messaging.chat.ChatSettings;
import org.parley.messaging.http.MessagingAccountData;
import org.parley.msrp.relay.MsrpRelaySettings;
import org.parley.messaging.store.UsageJournalSettings;
import org.parley.msrp.session.MsrpEndpointSettings;
import org.parley.presence.PresenceSettings;
import org.parley.registrar.RegistrarSettings;
import org.parley.sip.transaction.TimerSettings;
import org.parley.sip.transport.TransportSettings;
import org.parley.store.DatabaseSettings;
import org.parley.web.WebSettings;
import org.parley.xdm.XcapSettings;

/**
 * The typed, validated view of a {@link Config}: the server's own keys (domain, data directory,
 * TLS files, admin token) and the settings each module reads from its keys, composed. The listeners'
 * TLS contexts and files are added at start, once the certificate is found or generated.
 */
public record ServerSettings(String domain, Path dataDir, Tls tls, Optional<Secret> adminToken,
                             TransportSettings sip, TimerSettings transactions, HttpSettings http, XcapSettings xcap,
                             DatabaseSettings db, DigestSettings digest, GateSettings gate, RegistrarSettings registrar,
                             MessagingSettings messaging, UsageJournalSettings usageJournal, ChatSettings chat, PresenceSettings presence,
                             MsrpRelaySettings msrp, ConferenceSettings conference, WebSettings webClient,
                             AuthAttemptData.Retention authAttemptRetention,
                             MessagingAccountData.UsageRetention usageRetention, MsrpEndpointSettings msrpEndpoint,
                             AccountMemorySettings accountMemory, AuthAttemptJournalSettings authAttemptJournal) {

    /** Both empty: generate a self-signed certificate under the data directory. */
    public record Tls(Optional<Path> certificate, Optional<Path> privateKey) {
    }

    /** @throws ConfigException naming the first bad key */
    public static ServerSettings from(Config c) {
        String domain = c.required("parley.domain");
        Path dataDir = c.path("data.dir");
        TransportSettings sip = TransportSettings.from(c);
        return new ServerSettings(domain, dataDir, tls(c), c.optional("admin.token").map(Secret::new),
                sip, TimerSettings.from(c), HttpSettings.from(c, sip.limits().fdReserve()), XcapSettings.from(c),
                DatabaseSettings.from(c, dataDir), DigestSettings.from(c), GateSettings.from(c),
                RegistrarSettings.from(c), MessagingSettings.from(c), UsageJournalSettings.from(c), ChatSettings.from(c), PresenceSettings.from(c),
                MsrpRelaySettings.from(c, sip.bindAddress(), sip.advertisedAddress()), ConferenceSettings.from(c), WebSettings.from(c),
                AuthAttemptData.Retention.from(c), MessagingAccountData.UsageRetention.from(c),
                MsrpEndpointSettings.from(c), AccountMemorySettings.from(c),
                AuthAttemptJournalSettings.from(c));
    }

    private static Tls tls(Config c) {
        Optional<Path> certificate = c.optionalPath("tls.certificate");
        Optional<Path> key = c.optionalPath("tls.private-key");
        if (certificate.isPresent() != key.isPresent()) {
            throw c.invalid(certificate.isPresent() ? "tls.private-key" : "tls.certificate",
                    "tls.certificate and tls.private-key must be set together (or both left empty)");
        }
        return new Tls(certificate, key);
    }
}
