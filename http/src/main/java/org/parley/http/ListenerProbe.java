package org.parley.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Whether a TCP listener of this process takes connections now: connect to it over loopback (a
 * wildcard bind address is reached there) and close at once. A listener that died (Helidon ends
 * its socket on an accept error) refuses; a process out of file descriptors cannot even try.
 */
public final class ListenerProbe {
    public static final Duration TIMEOUT = Duration.ofMillis(500);

    private ListenerProbe() {
    }

    public static boolean tcp(String bindAddress, int port) {
        if (port <= 0) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(reachable(bindAddress), port), (int) TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress reachable(String bindAddress) throws UnknownHostException {
        InetAddress a = InetAddress.getByName(bindAddress);
        return a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a;
    }
}
