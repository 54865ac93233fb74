package org.parley.messaging.http;

import org.parley.accounts.Account;
import org.parley.accounts.AccountAddresses;
import org.parley.accounts.AccountData;
import org.parley.config.Config;
import org.parley.messaging.chat.SessionArchive;
import org.parley.messaging.store.ControlsStore;
import org.parley.messaging.store.JdbiUsageLog;
import org.parley.messaging.store.OfflineStore;
import org.parley.messaging.store.StoredMessage;

import java.nio.charset.StandardCharsets;

/**
 * What the messaging server keeps about an account, for its export (PP2-5) and its deletion: the
 * user's messaging settings, the messages stored for them or by them, and the usage records that
 * name them. Messages are kept under the canonical address of record, which is all they are matched on.
 */
public final class MessagingAccountData {
    /** What account deletion does with usage records: they are the operator's charging records. */
    public enum UsageRetention {
        PSEUDONYMISE, KEEP;

        /** {@code accounts.deletion.usage-records}; @throws org.parley.config.ConfigException naming it */
        public static UsageRetention from(Config c) {
            return c.choice("accounts.deletion.usage-records", UsageRetention.class);
        }
    }

    private MessagingAccountData() {
    }

    /** The account's settings and block list; deleted with the account. */
    public static AccountData controls(ControlsStore controls) {
        return new AccountData() {
            @Override
            public String section() {
                return "messagingControls";
            }

            @Override
            public Object export(Account account) {
                return ControlsDocument.of(controls.get(account.username()));
            }

            @Override
            public void erase(Account account) {
                controls.delete(account.username());
            }
        };
    }

    /**
     * Messages waiting for the account, and messages it sent that still wait for their recipients:
     * both deleted with the account (a message from an account that no longer exists is withdrawn,
     * not delivered later under an address someone else may take).
     */
    public static AccountData storedMessages(OfflineStore store, String domain) {
        return new AccountData() {
            @Override
            public String section() {
                return "storedMessages";
            }

            @Override
            public Object export(Account account) {
                return store.concerning(AccountAddresses.aor(account, domain)).stream().map(StoredMessageView::of).toList();
            }

            @Override
            public void erase(Account account) {
                store.removeConcerning(AccountAddresses.aor(account, domain));
            }
        };
    }

    /** Chat session messages kept for the account and its request to keep them (PP-38, PP-42): deleted with it. */
    public static AccountData sessionMessages(SessionArchive archive) {
        return new AccountData() {
            @Override
            public String section() {
                return "sessionMessages";
            }

            @Override
            public Object export(Account account) {
                return archive.all(account.username()).stream().map(SessionMessagesResource.Full::of).toList();
            }

            @Override
            public void erase(Account account) {
                archive.erase(account.username());
            }
        };
    }

    /**
     * Usage records with the account as sender or recipient. They stay with the operator (charging,
     * PP2-6); on deletion the account's address in them is replaced by a pseudonym
     * ({@link #pseudonym}) unless the operator keeps them as they are.
     */
    public static AccountData usageRecords(JdbiUsageLog usage, String domain, UsageRetention retention) {
        return new AccountData() {
            @Override
            public String section() {
                return "usageRecords";
            }

            @Override
            public Object export(Account account) {
                return usage.concerning(AccountAddresses.aor(account, domain)).stream().map(UsageRecordView::of).toList();
            }

            @Override
            public void erase(Account account) {
                if (retention == UsageRetention.PSEUDONYMISE) {
                    usage.pseudonymise(AccountAddresses.aor(account, domain), pseudonym(account));
                }
            }
        };
    }

    /**
     * The same for every record of one account, so its totals still add up; the account id is
     * never reused and means nothing outside this database. {@code .invalid} (RFC 2606) reaches nobody.
     */
    public static String pseudonym(Account account) {
        return "sip:deleted-account-" + account.id() + "@deleted.invalid";
    }

    /** A stored message in the export: the SIP MESSAGE as it will be delivered, as text. */
    record StoredMessageView(String id, String recipient, String sender, String submittedAt, String expiresAt,
                             String contentType, int size, String message) {
        static StoredMessageView of(StoredMessage m) {
            return new StoredMessageView(m.id().toString(), m.recipientAor(), m.sender(), m.submittedAt().toString(),
                    m.expiresAt().toString(), m.contentType(), m.size(), new String(m.request(), StandardCharsets.UTF_8));
        }
    }

}
