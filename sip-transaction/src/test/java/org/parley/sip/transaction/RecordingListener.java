package org.parley.sip.transaction;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.sip.message.SipResponse;

/** Test support for the RFC 3261 §17.1 tests. */
final class RecordingListener implements ClientListener {
    final List<SipResponse> responses = new CopyOnWriteArrayList<>();

    @Override
    public void onResponse(ClientTransaction tx, SipResponse response) {
        responses.add(response);
    }

    List<Integer> statuses() {
        return responses.stream().map(SipResponse::status).toList();
    }
}
