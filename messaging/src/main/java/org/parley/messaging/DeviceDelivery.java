package org.parley.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.proxy.ContactTarget;
import org.parley.sip.proxy.Forker;
import org.parley.sip.proxy.Locator;

/**
 * Sends a MESSAGE to every registered device of a recipient at once (UC 5.13 step 6, GU-1) and
 * completes with the best final answer: the first 2xx as soon as one device takes it.
 */
final class DeviceDelivery implements Delivery {
    private final Forker forker;
    private final Locator locator;

    DeviceDelivery(Forker forker, Locator locator) {
        this.forker = forker;
        this.locator = locator;
    }

    @Override
    public boolean reachable(String recipientAor) {
        return !locator.devicesOf(recipientAor).isEmpty();
    }

    @Override
    public boolean reachableBesides(String recipientAor, List<ContactTarget> tried) {
        for (ContactTarget device : locator.devicesOf(recipientAor)) {
            if (!tried.contains(device)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompletableFuture<Result> toDevices(SipRequest message, String recipientAor, String localTag) {
        List<ContactTarget> devices = locator.devicesOf(recipientAor);
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
