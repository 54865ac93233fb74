package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.parley.sip.message.SipRequest;
import org.slf4j.LoggerFactory;

/**
 * Issue 9 §1 at the transport: connection caps per source address and in total, the deadline of
 * a message begun (slowloris), the short idle time of a connection nothing is registered over,
 * and issue 9 §6: a corrupt WebSocket frame is one log line, never a stack trace.
 */
@DisplayName("Connection limits and deadlines (issue 9 §1), peer faults logged as one line (issue 9 §6)")
class ConnectionLimitsTest {
    private final RecordingHandler handler = new RecordingHandler();
    private final List<Socket> sockets = new ArrayList<>();
    private NettySipTransport transport;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (transport != null) {
            transport.close();
        }
    }

    private void start(int total, int perAddress, Duration deadline, Duration unregisteredIdle) {
        transport = TestSip.start(handler, b -> b.limits(new ConnectionLimits(total, perAddress, 0, deadline,
                unregisteredIdle, Duration.ofSeconds(30))));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(TestSip.LOOPBACK, transport.boundPort(Transport.TCP));
        s.setSoTimeout(5000);
        sockets.add(s);
        return s;
    }

    /** True when the server answers an OPTIONS on this connection (the handler answers 200 over the flow). */
    private boolean answers(Socket s, String callId) throws Exception {
        try {
            s.getOutputStream().write(TestSip.options("TCP", "127.0.0.1:5999", "", callId).getBytes(StandardCharsets.UTF_8));
            RecordingHandler.Received r = handler.messages.poll(2, TimeUnit.SECONDS);
            if (r == null) {
                return false;
            }
            transport.sendResponse(((SipRequest) r.message()).createResponse(200, "t"), r.flow()).get(5, TimeUnit.SECONDS);
            return TestSip.readMessage(s.getInputStream()).startsWith("SIP/2.0 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the server ends the connection within this time; what it sends before (a close frame) is skipped. */
    private static boolean closedByServer(Socket s, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (true) {
                s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (s.getInputStream().read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    @DisplayName("issue 9 §1: connections from one address beyond its cap are closed at once; the others keep working")
    void perAddressCap() throws Exception {
        start(100, 3, Duration.ofSeconds(20), Duration.ofSeconds(60));
        List<Socket> admitted = List.of(connect(), connect(), connect());
        Socket fourth = connect();
        assertThat(closedByServer(fourth, Duration.ofSeconds(3))).as("the fourth connection is closed").isTrue();
        for (int i = 0; i < admitted.size(); i++) {
            assertThat(answers(admitted.get(i), "cap-" + i)).isTrue();
        }
        admitted.get(0).close();
        handler.nextClosed();
        assertThat(answers(connect(), "cap-again")).as("a slot freed is usable again").isTrue();
    }

    @Test
    @DisplayName("issue 9 §1: beyond the total cap new connections are closed; when some close, new ones are accepted again")
    void totalCapRecovers() throws Exception {
        start(4, 100, Duration.ofSeconds(20), Duration.ofSeconds(60));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(connect());
        }
        assertThat(answers(held.get(3), "total-held")).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(closedByServer(connect(), Duration.ofSeconds(3))).as("connection over the cap").isTrue();
        }
        held.get(0).close();
        held.get(1).close();
        handler.nextClosed();
        handler.nextClosed();
        assertThat(answers(connect(), "total-after")).isTrue();
    }

    @Test
    @DisplayName("issue 9 §1 (slowloris): a header section trickled an octet at a time is cut off at the message deadline")
    void slowHeaderSectionIsCutOff() throws Exception {
        start(100, 100, Duration.ofSeconds(1), Duration.ofSeconds(60));
        Socket s = connect();
        OutputStream out = s.getOutputStream();
        byte[] request = TestSip.options("TCP", "127.0.0.1:5999", "", "slow").getBytes(StandardCharsets.UTF_8);
        long started = System.nanoTime();
        boolean cut = false;
        for (int i = 0; i < 20 && !cut; i++) {
            try {
                out.write(request[i]);
                out.flush();
                Thread.sleep(250);
            } catch (IOException e) {
                cut = true;
            }
            cut = cut || closedByServer(s, Duration.ofMillis(1));
        }
        assertThat(cut || closedByServer(s, Duration.ofSeconds(2))).as("connection closed").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        handler.assertNothingDelivered();
    }

    @Test
    @DisplayName("issue 9 §1: an idle connection nothing is registered over is closed soon; keep-alives do not hold it")
    void unregisteredIdleConnectionIsClosed() throws Exception {
        start(100, 100, Duration.ofSeconds(5), Duration.ofSeconds(1));
        Socket s = connect();
        s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(s.getInputStream().read()).as("pong").isEqualTo('\r');
        assertThat(closedByServer(s, Duration.ofSeconds(4))).isTrue();
    }

    @Test
    @DisplayName("RFC 5626 §4.4.1: a connection a REGISTER was accepted over keeps the long idle time")
    void registeredConnectionStays() throws Exception {
        start(100, 100, Duration.ofSeconds(5), Duration.ofSeconds(1));
        Socket s = connect();
        String register = TestSip.options("TCP", "127.0.0.1:5999", "", "reg").replace("OPTIONS", "REGISTER");
        s.getOutputStream().write(register.getBytes(StandardCharsets.UTF_8));
        RecordingHandler.Received r = handler.next();
        transport.sendResponse(((SipRequest) r.message()).createResponse(200, "OK")
                .withHeader("Contact", "<sip:alice@127.0.0.1:5999;transport=tcp>;expires=3600"), r.flow())
                .get(5, TimeUnit.SECONDS);
        TestSip.readMessage(s.getInputStream());
        assertThat(closedByServer(s, Duration.ofSeconds(3))).as("still open after 3 s").isFalse();
        assertThat(answers(s, "reg-later")).isTrue();
    }

    @Test
    @DisplayName("issue 9 §6: corrupt WebSocket frames from many connections: one line each at most, no stack trace")
    void corruptWebSocketFramesAreOneLine() throws Exception {
        start(100, 100, Duration.ofSeconds(5), Duration.ofSeconds(5));
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        try {
            for (int i = 0; i < 30; i++) {
                Socket s = new Socket(TestSip.LOOPBACK, transport.boundPort(Transport.WS));
                sockets.add(s);
                s.setSoTimeout(5000);
                s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Protocol: sip\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
                // An unmasked frame with reserved bits set: a protocol violation (RFC 6455 §5.2, §5.3).
                s.getOutputStream().write(new byte[] {(byte) 0xF1, 0x02, 'h', 'i', (byte) 0xF1, 0x02, 'h', 'i'});
                assertThat(closedByServer(s, Duration.ofSeconds(3))).isTrue();
            }
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> faults = appender.list.stream()
                .filter(e -> e.getFormattedMessage().contains("protocol fault")).toList();
        assertThat(faults).hasSizeBetween(1, ExceptionSink.PEER_FAULT_LINES);
        assertThat(appender.list).allSatisfy(e -> {
            assertThat(e.getThrowableProxy()).as("no stack trace: " + e.getFormattedMessage()).isNull();
            assertThat(e.getFormattedMessage()).doesNotContain("\n");
        });
    }
}
