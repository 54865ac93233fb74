package org.parley.msrp;

/**
 * The connections MSRP runs over: TCP and TLS (RFC 4975 §6, URI transport "tcp") and WebSocket
 * (RFC 7977, URI transport "ws"); the secure ones go with the "msrps" scheme.
 */
public enum MsrpTransport {
    TCP(false, "tcp"), TLS(true, "tcp"), WS(false, "ws"), WSS(true, "ws");

    private final boolean secure;
    private final String uriTransport;

    MsrpTransport(boolean secure, String uriTransport) {
        this.secure = secure;
        this.uriTransport = uriTransport;
    }

    public boolean secure() {
        return secure;
    }

    public boolean webSocket() {
        return this == WS || this == WSS;
    }

    /** The transport parameter of MSRP URIs reached over this transport. */
    public String uriTransport() {
        return uriTransport;
    }
}
