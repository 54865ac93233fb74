package org.parley.accounts.digest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 7616 §3.4 / RFC 3261 §25.1: Digest credentials parsing (quoted-string, escapes)")
class DigestParamsTest {

    @Test
    @DisplayName("the RFC 7616 §3.9.1 Authorization header parses into its parameters")
    void rfcExample() {
        DigestParams p = DigestParams.parse("Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
                + "uri=\"/dir/index.html\", algorithm=MD5, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                + "nc=00000001, cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, "
                + "response=\"8ca523f5e9506fed4657c9700eebdbec\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"")
                .orElseThrow();
        assertThat(p.get("username")).contains("Mufasa");
        assertThat(p.get("realm")).contains("http-auth@example.org");
        assertThat(p.get("uri")).contains("/dir/index.html");
        assertThat(p.get("algorithm")).contains("MD5");
        assertThat(p.get("nc")).contains("00000001");
        assertThat(p.get("qop")).contains("auth");
        assertThat(p.get("response")).contains("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(p.get("stale")).isEmpty();
    }

    @Test
    @DisplayName("a comma inside a quoted value does not split it")
    void commaInQuotes() {
        DigestParams p = DigestParams.parse("Digest realm=\"a, b,c\", username=\"x\"").orElseThrow();
        assertThat(p.get("realm")).contains("a, b,c");
        assertThat(p.get("username")).contains("x");
    }

    @Test
    @DisplayName("quoted-pair: \\\" and \\\\ are unescaped")
    void escapes() {
        DigestParams p = DigestParams.parse("Digest username=\"Mu\\\"fasa\", uri=\"a\\\\b\", realm=\"r\"").orElseThrow();
        assertThat(p.get("username")).contains("Mu\"fasa");
        assertThat(p.get("uri")).contains("a\\b");
        assertThat(p.get("realm")).contains("r");
        DigestParams q = DigestParams.parse("Digest username=\"x\\y z\\\\\", nonce=\"\\\"\", realm=r").orElseThrow();
        assertThat(q.get("username")).as("text after an escape kept").contains("xy z\\");
        assertThat(q.get("nonce")).contains("\"");
        assertThat(q.get("realm")).as("an unquoted last value").contains("r");
        assertThat(DigestParams.parse("Digest username=\"x\\")).as("a backslash ending the header").isEmpty();
    }

    @Test
    @DisplayName("scheme and parameter names are case-insensitive; blanks around = and , are allowed")
    void caseAndBlanks() {
        DigestParams p = DigestParams.parse("  dIgEsT   USERNAME = \"bob\" ,\tNC = 0000000a , Realm=\"r\"").orElseThrow();
        assertThat(p.get("username")).contains("bob");
        assertThat(p.get("nc")).contains("0000000a");
        assertThat(p.get("realm")).contains("r");
    }

    @Test
    @DisplayName("an unterminated quoted value makes the whole header unusable")
    void unterminatedQuote() {
        assertThat(DigestParams.parse("Digest username=\"bob, realm=\"r")).isPresent()
                .hasValueSatisfying(p -> assertThat(p.get("realm")).isEmpty());
        assertThat(DigestParams.parse("Digest username=\"bob")).isEmpty();
        assertThat(DigestParams.parse("Digest realm=\"r\", response=\"abc")).isEmpty();
    }

    @Test
    @DisplayName("other schemes and a bare scheme are not Digest credentials")
    void otherSchemes() {
        assertThat(DigestParams.parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")).isEmpty();
        assertThat(DigestParams.parse("Digest")).isEmpty();
        assertThat(DigestParams.parse("Bearer abc")).isEmpty();
    }

    @Test
    @DisplayName("names compare in ASCII only: a dotless \u0131 or a long \u017f does not make a known name; "
            + "an unknown name is kept lower-cased")
    void asciiNames() {
        DigestParams p = DigestParams.parse("Digest UR\u0131=\"a\", U\u017fERNAME=e, USERNAME=\"b\", X-Other=\"d\"").orElseThrow();
        assertThat(p.get("uri")).isEmpty();
        assertThat(p.get("ur\u0131")).contains("a");
        assertThat(p.get("u\u017fername")).contains("e");
        assertThat(p.get("username")).contains("b");
        assertThat(p.get("x-other")).contains("d");
        assertThat(p.size()).isEqualTo(4);
    }

    @Test
    @DisplayName("RFC 7616 §3.4: a parameter given twice keeps its last value, known or not; names are found whatever their case")
    void repeatedNames() {
        DigestParams p = DigestParams.parse("Digest username=\"a\", NONCE=n1, x-one=1, Username=\"b\", nonce=\"n2\", X-ONE=2, "
                + "x-two=\"t\"").orElseThrow();
        assertThat(p.get("username")).contains("b");
        assertThat(p.get("nonce")).contains("n2");
        assertThat(p.get("x-one")).contains("2");
        assertThat(p.get("x-two")).contains("t");
        assertThat(p.get("realm")).isEmpty();
        assertThat(p.get("X-ONE")).as("names are asked for in lower case").isEmpty();
        assertThat(p.size()).isEqualTo(4);
        assertThat(DigestParams.parse("Digest username=\"a\", =x, realm=r").orElseThrow().get("realm"))
                .as("an empty name is kept apart from the known ones").contains("r");
    }
}
