package org.parley.msrp.session;

import java.util.EnumMap;
import java.util.Map;
import org.parley.config.Config;
import org.parley.msrp.MsrpListeners;
import org.parley.msrp.MsrpTransport;

/**
 * Where Parley listens as the MSRP end of a session itself (deferred delivery): the
 * {@code msrp.endpoint.*} keys. Address, certificate, limits and idle timeout are the relay's.
 *
 * @param ports           per transport: 0 = ephemeral, {@link MsrpListeners#DISABLED} = off
 * @param maxMessageBytes the largest whole message a session takes (SDP max-size, RFC 4975 §8.6)
 */
public record MsrpEndpointSettings(Map<MsrpTransport, Integer> ports, long maxMessageBytes) {
    public MsrpEndpointSettings {
        ports = Map.copyOf(ports);
        if (maxMessageBytes < 1 || maxMessageBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxMessageBytes out of range: " + maxMessageBytes);
        }
    }

    /** @throws org.parley.config.ConfigException naming the first bad key */
    public static MsrpEndpointSettings from(Config c) {
        Map<MsrpTransport, Integer> ports = new EnumMap<>(MsrpTransport.class);
        for (MsrpTransport t : MsrpTransport.values()) {
            String key = "msrp.endpoint." + t.name().toLowerCase(java.util.Locale.ROOT) + ".port";
            ports.put(t, c.optional(key).isEmpty() ? MsrpListeners.DISABLED : c.port(key));
        }
        int max = c.positive("msrp.endpoint.max-message-bytes");
        if (max > Integer.MAX_VALUE - 8) {
            throw c.invalid("msrp.endpoint.max-message-bytes", "must be below 2 GiB (a message is held in memory whole)");
        }
        return new MsrpEndpointSettings(ports, max);
    }

    public int port(MsrpTransport transport) {
        return ports.getOrDefault(transport, MsrpListeners.DISABLED);
    }
}
