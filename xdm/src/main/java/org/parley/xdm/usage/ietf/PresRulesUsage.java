package org.parley.xdm.usage.ietf;

import org.parley.xdm.ApplicationUsage;
import org.parley.xdm.DocumentContext;
import org.parley.xdm.XcapConflict;
import org.parley.xdm.xcap.Xml;
import org.parley.xml.XmlSchema;
import org.w3c.dom.Document;


/**
 * The pres-rules usage (RFC 5025): presence authorisation rules in the common-policy format (RFC
 * 4745). Rule ids must be unique; that is checked before the schema, whose xs:ID would report a
 * clash only as a schema error, without the field and an alternative id.
 */
public final class PresRulesUsage implements ApplicationUsage {
    public static final String AUID = "pres-rules";
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:pres-rules";
    public static final String COMMON_POLICY = "urn:ietf:params:xml:ns:common-policy";
    private static final XmlSchema SCHEMA = XmlSchema.load("xsd/common-policy.xsd", "xsd/pres-rules.xsd");

    @Override
    public String auid() {
        return AUID;
    }

    @Override
    public String mimeType() {
        return "application/auth-policy+xml";
    }

    /** RFC 5025 §9.6: the default namespace is pres-rules' own, so common-policy elements need a prefix. */
    @Override
    public String defaultNamespace() {
        return NAMESPACE;
    }

    @Override
    public void validate(Document document, DocumentContext context) throws XcapConflict {
        if (COMMON_POLICY.equals(document.getDocumentElement().getNamespaceURI())) {
            Uniqueness.children(document.getDocumentElement(), COMMON_POLICY, "rule", "id", "cp:ruleset");
        }
        Xml.validate(SCHEMA, document);
    }
}
