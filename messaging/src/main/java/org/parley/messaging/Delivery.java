package org.parley.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.proxy.ContactTarget;

/** How a message reaches the recipient's devices: {@link DeviceDelivery} over the proxy core, fakes in tests. */
interface Delivery {
    /** The final answer and the devices that were tried. */
    record Result(SipResponse response, List<ContactTarget> devices) {
        boolean delivered() {
            return response.isSuccess();
        }

        /**
         * RFC 3428 §7 with UC 5.13's alternative flow: no device, or every device unreachable or
         * failing, means "store and forward", while a device's own refusal (403, 415, 603...) is
         * the recipient's answer and goes back to the sender.
         */
        boolean worthStoring() {
            int s = response.status();
            return s == 408 || s == 480 || s == 430 || s >= 500 && s < 600;
        }
    }

    /** Whether the recipient has a registered device now. */
    boolean reachable(String recipientAor);

    /** Whether the recipient has a registered device now that is not one of {@code tried} (an attempt's {@link Result#devices}). */
    boolean reachableBesides(String recipientAor, List<ContactTarget> tried);

    /** Sends to every device of the recipient; completes with the best final answer. */
    CompletableFuture<Result> toDevices(SipRequest message, String recipientAor, String localTag);
}
