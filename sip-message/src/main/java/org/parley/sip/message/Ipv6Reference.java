package org.parley.sip.message;

/**
 * The IPv6reference of RFC 3261 §25.1 ({@code "[" IPv6address "]"}) as RFC 5118 §4.10 corrects
 * it: one "::" at most, standing for at least one group; eight groups without it; an IPv4
 * address may stand for the last two groups. {@code [2001:db8:::192.0.2.1]} is not one.
 */
final class Ipv6Reference {
    private static final int GROUPS = 8;

    private Ipv6Reference() {
    }

    /** True when {@code host} is a bracketed, well-formed IPv6 address. */
    static boolean isValid(String host) {
        if (host.length() < 4 || host.charAt(0) != '[' || host.charAt(host.length() - 1) != ']') {
            return false;
        }
        String address = host.substring(1, host.length() - 1);
        int gap = address.indexOf("::");
        if (gap < 0) {
            return groups(address, false) == GROUPS;
        }
        if (address.indexOf("::", gap + 1) >= 0) {
            return false; // two gaps, or ":::" (RFC 5118 §4.10)
        }
        String left = address.substring(0, gap);
        String right = address.substring(gap + 2);
        int l = left.isEmpty() ? 0 : groups(left, true);
        int r = right.isEmpty() ? 0 : groups(right, false);
        return l >= 0 && r >= 0 && l + r < GROUPS;
    }

    /**
     * The number of 16-bit groups in colon-separated hex groups, an IPv4 address counting as two
     * when it ends them (and may); -1 when malformed.
     */
    private static int groups(String s, boolean beforeGap) {
        String[] parts = s.split(":", -1);
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (!beforeGap && i == parts.length - 1 && p.indexOf('.') >= 0) {
                if (!isIpv4(p)) {
                    return -1;
                }
                count += 2;
            } else if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(Ipv6Reference::isHex)) {
                return -1;
            } else {
                count++;
            }
        }
        return count;
    }

    private static boolean isIpv4(String s) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
