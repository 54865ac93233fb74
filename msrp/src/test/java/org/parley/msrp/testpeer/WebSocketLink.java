package org.parley.msrp.testpeer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * MSRP over WebSocket (RFC 7977) with the JDK's WebSocket client: subprotocol "msrp", one MSRP
 * message per WebSocket message, text when it is UTF-8 and binary otherwise.
 */
public final class WebSocketLink implements Link, WebSocket.Listener {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile boolean closed;
    private WebSocket socket;

    public static WebSocketLink connect(URI uri, SSLContext trust) throws Exception {
        WebSocketLink link = new WebSocketLink();
        HttpClient.Builder client = HttpClient.newBuilder();
        if (trust != null) {
            client.sslContext(trust);
        }
        link.socket = client.build().newWebSocketBuilder().subprotocols("msrp").buildAsync(uri, link)
                .get(10, TimeUnit.SECONDS);
        return link;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        return collect(ws, StandardCharsets.UTF_8.encode(data.toString()), last);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        return collect(ws, data, last);
    }

    private CompletionStage<?> collect(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        synchronized (partial) {
            partial.writeBytes(b);
            if (last) {
                received.add(partial.toByteArray());
                partial.reset();
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed = true;
        received.add(END);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed = true;
        received.add(END);
    }

    @Override
    public InputStream in() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;

            @Override
            public int read() throws IOException {
                while (pos >= current.length) {
                    try {
                        byte[] next = received.poll(10, TimeUnit.SECONDS);
                        if (next == null) {
                            throw new IOException("nothing received within 10 s");
                        }
                        if (next == END) {
                            received.add(END);
                            return -1;
                        }
                        current = next;
                        pos = 0;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
                return current[pos++] & 0xff;
            }
        };
    }

    @Override
    public void send(byte[] message) throws IOException {
        try {
            if (isUtf8(message)) {
                socket.sendText(new String(message, StandardCharsets.UTF_8), true).get(10, TimeUnit.SECONDS);
            } else {
                socket.sendBinary(ByteBuffer.wrap(message), true).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public boolean closedByPeer() {
        try {
            return received.poll(3, TimeUnit.SECONDS) == END || closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return closed;
        }
    }

    @Override
    public void close() {
        socket.abort();
    }
}
