package org.parley.xml;

/**
 * A document that is not well-formed, brings a DTD, or breaks its schema. The message names the
 * first fault, as the parser or validator saw it, so a caller can pass it on to the sender.
 */
public final class XmlException extends Exception {
    public XmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
