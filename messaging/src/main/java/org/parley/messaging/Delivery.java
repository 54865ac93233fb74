package org.parley.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.message.SipUri;
import org.parley.sip.proxy.ContactTarget;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.Locator;

/**
 * Sends a MESSAGE to every registered device of a recipient at once (UC 5.13 step 6, GU-1) and
 * completes with the best final answer: the first 2xx as soon as one device takes it.
 */
final class Delivery {
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

    private final Forker forker;
    private final Locator locator;

    Delivery(Forker forker, Locator locator) {
        this.forker = forker;
        this.locator = locator;
    }

    /** Whether the recipient has a registered device now. */
    boolean reachable(String recipientAor) {
        return !locator.lookup(SipUri.parse(recipientAor)).isEmpty();
    }

    CompletableFuture<Result> toDevices(SipRequest message, String recipientAor, String localTag) {
        List<ContactTarget> devices = locator.lookup(SipUri.parse(recipientAor));
        CompletableFuture<Result> done = new CompletableFuture<>();
        if (devices.isEmpty()) {
            done.complete(new Result(message.createResponse(480, "No registered device", localTag), devices));
            return done;
        }
        forker.toDevices(message, devices, localTag, response -> {
            if (response.isFinal()) {
                done.complete(new Result(response, devices));
            }
        }, () -> { });
        return done;
    }
}
