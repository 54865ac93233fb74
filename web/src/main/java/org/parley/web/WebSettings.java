package org.parley.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.config.Config;

/**
 * Parley Web's keys: whether the browser client is served at {@code /}, and which other origins
 * may call the HTTP APIs from their pages (CORS). No origin is allowed by default: Parley Web is
 * served by Parley itself, from the same origin as the APIs, and needs none.
 *
 * @param corsOrigins origins as browsers send them ({@code https://chat.example.org}, scheme, host
 *                    and a port unless it is the scheme's default), lower case; empty: CORS off
 */
public record WebSettings(boolean enabled, Set<String> corsOrigins) {

    public WebSettings {
        corsOrigins = Set.copyOf(corsOrigins);
    }

    /** The {@code web.*} keys; @throws org.parley.config.ConfigException naming the first bad key */
    public static WebSettings from(Config c) {
        List<String> origins = c.list("web.cors.allowed-origins");
        for (String origin : origins) {
            if (!isOrigin(origin)) {
                throw c.invalid("web.cors.allowed-origins", "'" + origin
                        + "' is not an origin (scheme://host[:port], no path), e.g. https://chat.example.org");
            }
        }
        return new WebSettings(c.bool("web.enabled"),
                origins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()));
    }

    public static WebSettings defaults() {
        return new WebSettings(true, Set.of());
    }

    /** A wildcard would hand every site the APIs of a user signed in with a bearer token: only named origins. */
    private static boolean isOrigin(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
