package org.parley.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.TelUri;
import org.parley.sip.message.Params;

@DisplayName("RFC 3261 §16.4 (Route naming us), §19.1.4 (host case-insensitive), §10.3 AOR: LocalDomains")
class LocalDomainsTest {
    final LocalDomains domains = new LocalDomains("Example.COM", Set.of("192.0.2.1", "SIP.Example.com", "::1", "2001:db8::10"));

    @Test
    @DisplayName("the domain and aliases match whatever their case")
    void caseInsensitive() {
        assertThat(domains.domain()).isEqualTo("example.com");
        assertThat(domains.isLocal("example.com")).isTrue();
        assertThat(domains.isLocal("EXAMPLE.com")).isTrue();
        assertThat(domains.isLocal("sip.example.COM")).isTrue();
        assertThat(domains.isLocal("192.0.2.1")).isTrue();
    }

    @Test
    @DisplayName("other hosts, sub- and super-domains are not local")
    void notLocal() {
        assertThat(domains.isLocal("other.example.org")).isFalse();
        assertThat(domains.isLocal("a.example.com")).isFalse();
        assertThat(domains.isLocal("com")).isFalse();
        assertThat(domains.isLocal("example.com.evil.net")).isFalse();
        assertThat(domains.isLocal("192.0.2.10")).isFalse();
    }

    @Test
    @DisplayName("an IPv6 reference in brackets (RFC 3261 §25.1 IPv6reference) matches the address")
    void ipv6Brackets() {
        assertThat(domains.isLocal("[::1]")).isTrue();
        assertThat(domains.isLocal("::1")).isTrue();
        assertThat(domains.isLocal("[2001:DB8::10]")).isTrue();
        assertThat(domains.isLocal("[2001:db8::11]")).isFalse();
    }

    @Test
    @DisplayName("URIs: a SIP URI is local by its host; tel URIs never are")
    void uris() {
        assertThat(domains.isLocal(SipUri.parse("sip:bob@EXAMPLE.com;transport=tcp"))).isTrue();
        assertThat(domains.isLocal(SipUri.parse("sips:[::1]:5061"))).isTrue();
        assertThat(domains.isLocal(SipUri.parse("sip:bob@example.org"))).isFalse();
        assertThat(domains.isLocal(new TelUri("+442079460000", Params.EMPTY))).isFalse();
    }

    @Test
    @DisplayName("aorOf gives the canonical sip:user@domain, domain lower-cased")
    void aorOf() {
        assertThat(domains.aorOf("alice")).isEqualTo("sip:alice@example.com");
    }
}
