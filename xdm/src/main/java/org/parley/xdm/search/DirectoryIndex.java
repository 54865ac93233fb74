package org.parley.xdm.search;

import org.jdbi.v3.core.Jdbi;
import org.parley.store.Database;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapDocuments;
import org.parley.xdm.oma.DocumentUpdates;
import org.parley.xdm.oma.UserProfile;
import org.parley.xdm.oma.UserProfileUsage;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;

/**
 * The searchable copy of the user profiles (table {@code directory_profile}), kept in step with
 * the org.openmobilealliance.user-profile documents through {@link XcapDocuments#addListener}.
 * Only users who may be found get a row, and only with the values search uses: an opted-out
 * user's row is deleted, and names and numbers are never copied.
 */
public final class DirectoryIndex {
    private final Jdbi jdbi;
    private final DocumentUpdates documents;
    private final DirectoryPolicy policy;

    private DirectoryIndex(Database database, XcapDocuments documents, DirectoryPolicy policy) {
        this.jdbi = database.jdbi();
        this.documents = new DocumentUpdates(documents);
        this.policy = policy;
    }

    /** Creates the index and registers it for changes of profile documents. */
    public static DirectoryIndex attach(Database database, XcapDocuments documents, DirectoryPolicy policy) {
        DirectoryIndex index = new DirectoryIndex(database, documents, policy);
        documents.addListener((where, oldEtag, newEtag) -> {
            if (UserProfileUsage.AUID.equals(where.auid()) && !where.global()
                    && UserProfileUsage.DOCUMENT.equals(where.documentName())) {
                index.reindex(where.xui());
            }
        });
        return index;
    }

    /** Re-reads one user's profile; the assembly may call it for every user to rebuild the index. */
    public void reindex(String xui) {
        DocumentContext where = UserProfileUsage.of(xui);
        Optional<UserProfile> profile = documents.read(where).map(UserProfile::read)
                .filter(p -> p.searchable().orElse(policy.searchableByDefault()));
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM directory_profile WHERE xui = :xui").bind("xui", xui).execute();
            profile.ifPresent(p -> h.createUpdate("INSERT INTO directory_profile "
                            + "(xui, birth_date, gender, intention, city, country, free_text) "
                            + "VALUES (:xui, :birth, :gender, :intention, :city, :country, :text)")
                    .bind("xui", xui)
                    .bindByType("birth", p.birthDate().orElse(null), LocalDate.class)
                    .bind("gender", lower(p.gender()))
                    .bind("intention", p.intention().orElse(null))
                    .bind("city", p.city().orElse(null))
                    .bind("country", p.country().orElse(null))
                    .bind("text", p.freeText().orElse(null))
                    .execute());
        });
    }

    /** Whether the user has a row, i.e. searches may find them. */
    public boolean listed(String xui) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM directory_profile WHERE xui = :xui")
                .bind("xui", xui).mapTo(Long.class).one() > 0);
    }

    private static String lower(Optional<String> value) {
        return value.map(v -> v.toLowerCase(Locale.ROOT)).orElse(null);
    }
}
