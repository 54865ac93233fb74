package org.parley.msrp.sdp;

/**
 * An SDP body Parley cannot use. {@link Fault#SYNTAX} is a body that is not SDP at all (RFC 4566
 * grammar): the SIP request carrying it is answered 400. {@link Fault#NOT_ACCEPTABLE} is valid SDP
 * that offers nothing Parley can take (no MSRP media, a transport or attribute value RFC 4975
 * §8 or RFC 5547 does not allow): 488 Not Acceptable Here. The message names the line at fault,
 * so it can go into the response's Warning or reason phrase as it is.
 */
public final class MalformedSdp extends Exception {
    public enum Fault {
        SYNTAX(400), NOT_ACCEPTABLE(488);

        private final int sipStatus;

        Fault(int sipStatus) {
            this.sipStatus = sipStatus;
        }

        public int sipStatus() {
            return sipStatus;
        }
    }

    private final Fault fault;

    public MalformedSdp(Fault fault, String message) {
        super(message);
        this.fault = fault;
    }

    public Fault fault() {
        return fault;
    }

    static MalformedSdp syntax(String message) {
        return new MalformedSdp(Fault.SYNTAX, message);
    }

    static MalformedSdp notAcceptable(String message) {
        return new MalformedSdp(Fault.NOT_ACCEPTABLE, message);
    }
}
