package org.parley.xdm.search;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a user searches for (UC 5.19.6): any of age range, gender, intention, city, country and
 * free text; values match case-insensitively, the text as a substring of the profile's free text.
 */
public record DirectoryQuery(OptionalInt minAge, OptionalInt maxAge, Optional<String> gender,
                             Optional<String> intention, Optional<String> city, Optional<String> country,
                             Optional<String> text) {
    public DirectoryQuery {
        if (minAge.isPresent() && minAge.getAsInt() < 0 || maxAge.isPresent() && maxAge.getAsInt() < 0) {
            throw new IllegalArgumentException("ages are 0 or more");
        }
        if (minAge.isPresent() && maxAge.isPresent() && minAge.getAsInt() > maxAge.getAsInt()) {
            throw new IllegalArgumentException("minAge must not exceed maxAge");
        }
    }

    public static DirectoryQuery any() {
        return new DirectoryQuery(OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public DirectoryQuery ages(int min, int max) {
        return new DirectoryQuery(OptionalInt.of(min), OptionalInt.of(max), gender, intention, city, country, text);
    }

    public DirectoryQuery gender(String value) {
        return new DirectoryQuery(minAge, maxAge, Optional.of(value), intention, city, country, text);
    }

    public DirectoryQuery intention(String value) {
        return new DirectoryQuery(minAge, maxAge, gender, Optional.of(value), city, country, text);
    }

    public DirectoryQuery city(String value) {
        return new DirectoryQuery(minAge, maxAge, gender, intention, Optional.of(value), country, text);
    }

    public DirectoryQuery country(String value) {
        return new DirectoryQuery(minAge, maxAge, gender, intention, city, Optional.of(value), text);
    }

    public DirectoryQuery text(String value) {
        return new DirectoryQuery(minAge, maxAge, gender, intention, city, country, Optional.of(value));
    }

    boolean searchesAge() {
        return minAge.isPresent() || maxAge.isPresent();
    }
}
