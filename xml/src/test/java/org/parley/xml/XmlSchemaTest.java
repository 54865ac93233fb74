package org.parley.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The one schema loader (issue 14 §6): bundled schemas with their relative imports come from the
 * classpath; nothing, neither a schema's import nor a document's schemaLocation, is fetched.
 */
class XmlSchemaTest {
    private static final XmlSchema NOTE = XmlSchema.load("xsd-test/note.xsd");

    @Test
    @DisplayName("a schema importing another by a relative location loads and validates")
    void validDocumentPasses() throws XmlException {
        String xml = "<note xmlns=\"urn:test:note\" xmlns:p=\"urn:test:part\" id=\"1\"><p:part>x</p:part></note>";
        assertThatCode(() -> NOTE.validate(XmlParser.parse(xml))).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a violation names itself: missing attribute, unknown element, wrong namespace")
    void invalidDocumentsFail() {
        for (String bad : new String[] {
                "<note xmlns=\"urn:test:note\" xmlns:p=\"urn:test:part\"><p:part>x</p:part></note>",
                "<note xmlns=\"urn:test:note\" id=\"1\"><other/></note>",
                "<note id=\"1\"/>"}) {
            assertThatThrownBy(() -> NOTE.validate(XmlParser.parse(bad))).as(bad)
                    .isInstanceOf(XmlException.class).hasMessageNotContaining("null");
        }
    }

    @Test
    @DisplayName("a document's xsi:schemaLocation is never followed: validated against the bundled schema only")
    void documentSchemaLocationNotFetched() throws Exception {
        try (LocalHttp http = new LocalHttp()) {
            String xml = "<note xmlns=\"urn:test:note\" xmlns:p=\"urn:test:part\" id=\"1\""
                    + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                    + " xsi:schemaLocation=\"urn:test:note " + http.url("/note.xsd") + "\""
                    + "><p:part>x</p:part><x:evil xmlns:x=\"urn:test:evil\" xsi:schemaLocation=\"urn:test:evil "
                    + http.url("/evil.xsd") + "\"/></note>";
            assertThatThrownBy(() -> NOTE.validate(XmlParser.parse(xml))).isInstanceOf(XmlException.class);
            assertThat(http.hits()).isZero();
        }
    }

    @Test
    @DisplayName("a bundled schema that imports from the network does not load: access is refused, not attempted")
    void remoteImportRefused() {
        assertThatThrownBy(() -> XmlSchema.load("xsd-test/remote-import.xsd"))
                .isInstanceOf(IllegalStateException.class)
                .rootCause().hasMessageContaining("accessExternalSchema");
    }

    @Test
    @DisplayName("a missing bundled schema is a build fault, said at once")
    void missingResource() {
        assertThatThrownBy(() -> XmlSchema.load("xsd-test/none.xsd"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("xsd-test/none.xsd");
    }
}
