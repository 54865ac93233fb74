package org.parley.accounts;

/**
 * The digest HA1 values of one account for the service realm (RFC 7616 section 3.4.2):
 * H(username ":" realm ":" password) with MD5 and with SHA-256, lower-case hex.
 */
public record DigestCredentials(String username, String realm, String ha1Md5, String ha1Sha256) {
}
