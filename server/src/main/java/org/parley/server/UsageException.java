package org.parley.server;

/** The command line itself is wrong; the caller prints the message and the command's usage (exit 2). */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
