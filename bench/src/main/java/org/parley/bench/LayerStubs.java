package org.parley.bench;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.parley.sip.message.SipMessage;
import org.parley.sip.message.SipRequest;
import org.parley.sip.message.SipResponse;
import org.parley.sip.transaction.ServerTransaction;
import org.parley.sip.transaction.TransactionUser;
import org.parley.sip.transport.Flow;
import org.parley.sip.transport.SipTransport;
import org.parley.sip.transport.Transport;

/**
 * What the transaction-layer harnesses ({@link TransactionCpu}, {@link CompletedHeap}) run the layer
 * against, so that the CPU and the heap they measure are the layer's alone.
 */
final class LayerStubs {
    private LayerStubs() {
    }

    /** A UDP transport that sends nothing, keeps nothing, and whose every send has left when it returns. */
    static final class Immediate implements SipTransport {
        private final InetSocketAddress local;

        Immediate(InetSocketAddress local) {
            this.local = local;
        }

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Flow flow) {
            return CompletableFuture.completedFuture(flow);
        }

        @Override
        public CompletableFuture<Flow> send(SipMessage message, Transport transport, InetSocketAddress destination) {
            return CompletableFuture.completedFuture(new Flow(transport, local, destination, null));
        }

        @Override
        public CompletableFuture<Flow> sendResponse(SipResponse response, Flow requestFlow) {
            return CompletableFuture.completedFuture(requestFlow);
        }

        @Override
        public CompletableFuture<Flow> resend(byte[] wire, Flow flow) {
            return CompletableFuture.completedFuture(flow);
        }

        @Override
        public boolean isOpen(Flow flow) {
            return true;
        }

        @Override
        public InetSocketAddress advertised(Transport transport) {
            return local;
        }
    }

    /** Answers every request 200 at once, as the pager does once the device answered. */
    static final class AnswersAtOnce implements TransactionUser {
        @Override
        public void onRequest(ServerTransaction tx) {
            tx.respond(tx.request().createResponse(200, tx.localTag()));
        }

        @Override
        public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
        }

        @Override
        public void onAck(SipRequest ack, Flow flow) {
        }

        @Override
        public void onStrayResponse(SipResponse response, Flow flow) {
        }

        @Override
        public void onServerTimeout(ServerTransaction tx) {
        }
    }
}
