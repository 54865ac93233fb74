package org.parley.msrp.testpeer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** MSRP over TCP (RFC 4975 §6) or TLS, with the JDK's plain sockets. */
public final class SocketLink implements Link {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private SocketLink(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static SocketLink tcp(int port) throws IOException {
        return tcpFrom("127.0.0.1", port);
    }

    /** From another loopback address, as a second client machine would be. */
    public static SocketLink tcpFrom(String localAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new SocketLink(s);
    }

    public static SocketLink tls(int port, SSLContext trust) throws IOException {
        SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return new SocketLink(s);
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public void send(byte[] message) throws IOException {
        out.write(message);
        out.flush();
    }

    @Override
    public boolean closedByPeer() {
        try {
            socket.setSoTimeout(3000);
            return in.read() < 0;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
