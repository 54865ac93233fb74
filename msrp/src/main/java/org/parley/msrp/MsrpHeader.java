package org.parley.msrp;

/** One header field of an MSRP message, in the order it was received or is to be sent. */
public record MsrpHeader(String name, String value) {
}
