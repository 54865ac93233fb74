package org.parley.xdm.search;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.parley.store.Database;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Directory search over the {@link DirectoryIndex} (UC 5.19.6), within the operator's
 * {@link DirectoryPolicy}: users below the minimum age (or of unknown age, when there is a
 * minimum) are never found, whatever the query asks; the searcher does not find themselves.
 */
public final class DirectorySearch {
    private final Jdbi jdbi;
    private final DirectoryPolicy policy;
    private final Clock clock;

    public DirectorySearch(Database database, DirectoryPolicy policy, Clock clock) {
        this.jdbi = database.jdbi();
        this.policy = policy;
        this.clock = clock;
    }

    public List<DirectoryHit> search(String searcherXui, DirectoryQuery query) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Map<String, Object> binds = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        where.add("xui <> :searcher");
        binds.put("searcher", searcherXui);
        int minAge = Math.max(policy.minimumAge(), query.minAge().orElse(0));
        if (minAge > 0) {
            // Born on or before this day: at least minAge years old today.
            where.add("birth_date <= :latestBirth");
            binds.put("latestBirth", today.minusYears(minAge));
        }
        query.maxAge().ifPresent(max -> {
            where.add("birth_date > :earliestBirth");
            binds.put("earliestBirth", today.minusYears(max + 1L));
        });
        equal(where, binds, "gender", query.gender());
        equal(where, binds, "intention", query.intention());
        equal(where, binds, "city", query.city());
        equal(where, binds, "country", query.country());
        query.text().ifPresent(text -> {
            where.add("LOWER(free_text) LIKE :text ESCAPE '!'");
            binds.put("text", "%" + likeEscaped(text.toLowerCase(Locale.ROOT)) + "%");
        });
        String sql = "SELECT xui, birth_date, gender, intention, city, country, free_text FROM directory_profile WHERE "
                + String.join(" AND ", where) + " ORDER BY xui LIMIT " + policy.maxResults();
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql);
            binds.forEach(q::bind);
            return q.map((rs, ctx) -> hit(rs, query, today)).list();
        });
    }

    private static void equal(List<String> where, Map<String, Object> binds, String column,
                              Optional<String> value) {
        value.ifPresent(v -> {
            where.add("LOWER(" + column + ") = :" + column);
            binds.put(column, v.strip().toLowerCase(Locale.ROOT));
        });
    }

    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** Only what was searched on goes into the hit. */
    private static DirectoryHit hit(ResultSet rs, DirectoryQuery query, LocalDate today) throws SQLException {
        LocalDate birth = rs.getObject("birth_date", LocalDate.class);
        Integer age = query.searchesAge() && birth != null ? Period.between(birth, today).getYears() : null;
        return new DirectoryHit(rs.getString("xui"), age,
                query.gender().isPresent() ? rs.getString("gender") : null,
                query.intention().isPresent() ? rs.getString("intention") : null,
                query.city().isPresent() ? rs.getString("city") : null,
                query.country().isPresent() ? rs.getString("country") : null,
                query.text().isPresent() ? rs.getString("free_text") : null);
    }
}
