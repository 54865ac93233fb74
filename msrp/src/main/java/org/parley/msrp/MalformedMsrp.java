package org.parley.msrp;

import java.util.List;

/**
 * A request or response the decoder could frame (its transaction id is known) but not accept:
 * the receiver answers a request with {@code status} (400, or 413 for an oversized chunk) and
 * drops a response. {@code headers} are the fields read before the fault, to address the answer.
 */
public record MalformedMsrp(String transactionId, boolean request, int status, String reason,
                            List<MsrpHeader> headers) {
    public MalformedMsrp {
        headers = List.copyOf(headers);
    }
}
