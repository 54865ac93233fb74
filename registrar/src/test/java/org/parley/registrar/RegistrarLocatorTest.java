package org.parley.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipUri;
import org.parley.sip.message.Params;
import org.parley.sip.message.TelUri;
import org.parley.sip.proxy.ContactTarget;
import org.parley.sip.transaction.ManualScheduler;
import org.parley.testkit.TestDatabases;

@DisplayName("RFC 5627 §5.1 (public GRUU reaches one instance), PP-45, RFC 3261 §16.5: RegistrarLocator")
class RegistrarLocatorTest {
    RegistrarFixture f;
    final ManualScheduler scheduler = new ManualScheduler(RegistrarFixture.T0);
    RegistrarLocator locator;

    @BeforeEach
    void setUp() {
        f = new RegistrarFixture(TestDatabases.h2());
        locator = new RegistrarLocator(f.identities, f.location, scheduler);
        f.alice(f.register("sip:alice@example.com", "c", 1, "Supported: gruu",
                "Contact: <sip:alice@198.51.100.7:5062>;+sip.instance=\"<urn:uuid:aaaa>\";q=0.5",
                "Contact: <sip:alice@198.51.100.7:5070>;+sip.instance=\"<urn:uuid:bbbb>\"", "Expires: 600"));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    @DisplayName("the AOR and every other identity of the account reach all devices, highest q first")
    void allDevices() {
        for (String uri : new String[] {"sip:alice@example.com", "sip:ally@example.com", "sip:+442079460000@example.com;user=phone"}) {
            assertThat(locator.lookup(SipUri.parse(uri))).as(uri).extracting(t -> t.contact().port()).containsExactly(5070, 5062);
        }
        assertThat(locator.lookup(new TelUri("+44-20-7946-0000", Params.EMPTY))).hasSize(2);
    }

    @Test
    @DisplayName("a public GRUU reaches only the device with that instance")
    void gruu() {
        assertThat(locator.lookup(SipUri.parse("sip:alice@example.com;gr=urn:uuid:aaaa")))
                .extracting(t -> t.contact().port()).containsExactly(5062);
        assertThat(locator.lookup(SipUri.parse("sip:alice@example.com;gr=urn:uuid:cccc"))).isEmpty();
    }

    @Test
    @DisplayName("exists() knows accounts without bindings; lookup of an unknown user is empty")
    void existence() {
        assertThat(locator.exists(SipUri.parse("sip:bob@example.com"))).isTrue();
        assertThat(locator.lookup(SipUri.parse("sip:bob@example.com"))).isEmpty();
        assertThat(locator.exists(SipUri.parse("sip:nobody@example.com"))).isFalse();
        assertThat(locator.lookup(SipUri.parse("sip:nobody@example.com"))).isEmpty();
    }

    @Test
    @DisplayName("byContact finds the binding registered with exactly that contact; expired ones are gone")
    void byContact() {
        assertThat(locator.byContact(SipUri.parse("sip:alice@198.51.100.7:5070"))).get()
                .extracting(ContactTarget::flow).isEqualTo(RegistrarFixture.UDP);
        assertThat(locator.byContact(SipUri.parse("sip:alice@198.51.100.7:9999"))).isEmpty();
        scheduler.advance(java.time.Duration.ofSeconds(600));
        assertThat(locator.byContact(SipUri.parse("sip:alice@198.51.100.7:5070"))).isEmpty();
        assertThat(locator.lookup(SipUri.parse("sip:alice@example.com"))).isEmpty();
    }
}
