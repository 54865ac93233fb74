package org.parley.testkit;

import java.util.List;
import java.util.Map;

/**
 * The RFC 4475 torture corpus (in this module's resources, see {@link Corpus}) and the outcome
 * each message must have, shared by the parser test and the transport replay so the two cannot
 * drift apart.
 */
public final class Rfc4475 {

    /** Parser-level outcome: 0 = parses, otherwise the status of the refusal. */
    public static final Map<String, Integer> EXPECTED = Map.ofEntries(
            Map.entry("wsinv", 0), Map.entry("intmeth", 0), Map.entry("esc01", 0), Map.entry("escnull", 0),
            Map.entry("esc02", 0), Map.entry("lwsdisp", 0), Map.entry("longreq", 0), Map.entry("dblreq", 0),
            Map.entry("semiuri", 0), Map.entry("transports", 0), Map.entry("mpart01", 0), Map.entry("unreason", 0),
            Map.entry("noreason", 0), Map.entry("badinv01", 400), Map.entry("clerr", 400), Map.entry("ncl", 400),
            Map.entry("scalar02", 400), Map.entry("scalarlg", 400), Map.entry("quotbal", 400),
            Map.entry("ltgtruri", 400), Map.entry("lwsruri", 400), Map.entry("lwsstart", 400), Map.entry("trws", 400),
            Map.entry("escruri", 400), Map.entry("baddate", 0), Map.entry("regbadct", 400), Map.entry("badaspec", 400),
            Map.entry("baddn", 400), Map.entry("badvers", 505), Map.entry("mismatch01", 400),
            Map.entry("mismatch02", 400), Map.entry("bigcode", 400), Map.entry("badbranch", 0),
            Map.entry("insuf", 400), Map.entry("unkscm", 0), Map.entry("novelsc", 0), Map.entry("unksm2", 0),
            Map.entry("bext01", 0), Map.entry("invut", 0), Map.entry("regaut01", 0), Map.entry("multi01", 400),
            Map.entry("mcl01", 400), Map.entry("bcast", 0), Map.entry("zeromf", 0), Map.entry("cparam01", 0),
            Map.entry("cparam02", 0), Map.entry("regescrt", 0), Map.entry("sdp01", 0), Map.entry("inv2543", 0));

    private Rfc4475() {
    }

    /** The bytes of one torture message, e.g. {@code "wsinv"}, as RFC 4475 Appendix B archives them. */
    public static byte[] message(String name) {
        return Corpus.bytes("rfc4475-torture/" + name + ".dat");
    }

    public static List<String> names() {
        return EXPECTED.keySet().stream().sorted().toList();
    }
}
