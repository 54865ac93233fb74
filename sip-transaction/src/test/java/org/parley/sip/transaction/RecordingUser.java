package org.parley.sip.transaction;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transport.Flow;

/** (RFC 3261 §17 transaction user) A TU that records every callback; {@link #onRequestDo} lets a test answer right away. */
final class RecordingUser implements TransactionUser {
    record Cancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
    }

    final List<ServerTransaction> requests = new CopyOnWriteArrayList<>();
    final List<Cancel> cancels = new CopyOnWriteArrayList<>();
    final List<SipRequest> acks = new CopyOnWriteArrayList<>();
    final List<SipResponse> strays = new CopyOnWriteArrayList<>();
    final List<ServerTransaction> timeouts = new CopyOnWriteArrayList<>();
    final List<ServerTransaction> transportErrors = new CopyOnWriteArrayList<>();
    volatile Consumer<ServerTransaction> onRequestDo = tx -> {
    };

    @Override
    public void onRequest(ServerTransaction tx) {
        requests.add(tx);
        onRequestDo.accept(tx);
    }

    @Override
    public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
        cancels.add(new Cancel(cancel, invite));
    }

    @Override
    public void onAck(SipRequest ack, Flow flow) {
        acks.add(ack);
    }

    @Override
    public void onStrayResponse(SipResponse response, Flow flow) {
        strays.add(response);
    }

    @Override
    public void onServerTimeout(ServerTransaction tx) {
        timeouts.add(tx);
    }

    @Override
    public void onServerTransportError(ServerTransaction tx, Throwable cause) {
        transportErrors.add(tx);
    }

    ServerTransaction last() {
        return requests.get(requests.size() - 1);
    }
}
