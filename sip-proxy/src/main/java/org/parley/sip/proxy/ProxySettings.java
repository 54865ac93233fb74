package org.parley.sip.proxy;

import java.util.Set;

/**
 * @param supported option tags this server understands (Require/Proxy-Require: anything else is 420)
 * @param allow     methods this server accepts, advertised in Allow
 * @param accept    body types this server itself consumes, advertised in Accept
 */
public record ProxySettings(Set<String> supported, Set<String> allow, Set<String> accept, String serverHeader) {
    public static ProxySettings defaults() {
        return new ProxySettings(Set.of("path", "outbound", "gruu", "recipient-list-message"),
                Set.of("REGISTER", "OPTIONS", "INVITE", "ACK", "CANCEL", "BYE", "MESSAGE", "SUBSCRIBE", "NOTIFY",
                        "PUBLISH", "INFO", "UPDATE", "PRACK", "REFER"),
                Set.of("application/sdp"), "Parley");
    }
}
