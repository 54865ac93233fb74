package org.parley.server;

import java.nio.file.Path;

/** The PEM certificate chain and private key every TLS listener (SIP/TLS, WSS, HTTPS) serves. */
public record TlsFiles(Path certificate, Path privateKey) {
}
