package org.parley.testkit.msrp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives the independent Python MSRP peer ({@code msrp-peer/msrp_peer.py}: written from RFC 4975,
 * RFC 4976, RFC 7977 and RFC 6455 alone, sharing no code with the server) as a subprocess: one
 * command a line on its stdin, one answer a line on its stdout. Each method waits for the answer;
 * a peer that does not answer within {@link #ANSWER_TIMEOUT} fails the test instead of hanging it.
 * The peer's own complaints go to the test's stderr.
 */
public final class PythonMsrpPeer implements AutoCloseable {
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static volatile Path script;

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private String uri;

    /** One answer of the peer: its fields by name, values decoded. */
    public record Reply(Map<String, String> fields) {
        public String get(String name) {
            return fields.getOrDefault(name, "");
        }

        public String kind() {
            return get("kind");
        }

        public int status() {
            return Integer.parseInt(get("status"));
        }

        public String method() {
            return get("method");
        }

        public boolean isRequest() {
            return kind().equals("request");
        }

        public byte[] body() {
            return Base64.getDecoder().decode(get("body"));
        }

        public String text() {
            return new String(body(), StandardCharsets.UTF_8);
        }

        /** Every value of a header field, in order (names compared without regard to case). */
        public List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (String line : get("headers").split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    out.add(line.substring(colon + 1).strip());
                }
            }
            return out;
        }

        public Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        public List<String> tids() {
            return List.of(get("tids").split(" "));
        }
    }

    private PythonMsrpPeer(Process process) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    answers.add(line);
                }
            } catch (IOException e) {
                // the process ended; the next command says so
            }
        });
    }

    /** Starts a peer process (python3 must be installed: ./parley installs it for the tests). */
    public static PythonMsrpPeer start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder("python3", "-u", script().toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new PythonMsrpPeer(pb.start());
    }

    /** The script copied once out of the class path, where Python can run it. */
    private static synchronized Path script() throws IOException {
        if (script == null) {
            Path file = Files.createTempFile("msrp_peer", ".py");
            file.toFile().deleteOnExit();
            try (InputStream in = PythonMsrpPeer.class.getResourceAsStream("/msrp-peer/msrp_peer.py")) {
                if (in == null) {
                    throw new IOException("msrp-peer/msrp_peer.py is not on the class path");
                }
                Files.write(file, in.readAllBytes());
            }
            script = file;
        }
        return script;
    }

    /** Sends one command and returns its answer; an {@code error} answer throws. */
    public Reply command(String name, Map<String, String> args) {
        StringBuilder line = new StringBuilder(name);
        args.forEach((k, v) -> line.append(' ').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            commands.write(line.append('\n').toString());
            commands.flush();
            String answer = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                throw new IllegalStateException("the Python MSRP peer did not answer '" + name + "' within "
                        + ANSWER_TIMEOUT + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
            }
            Map<String, String> fields = new LinkedHashMap<>();
            String[] words = answer.split(" ");
            for (int i = 1; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                fields.put(words[i].substring(0, eq), URLDecoder.decode(words[i].substring(eq + 1), StandardCharsets.UTF_8));
            }
            if (!words[0].equals("ok")) {
                throw new IllegalStateException("the Python MSRP peer failed '" + name + "': " + fields.get("message"));
            }
            return new Reply(fields);
        } catch (IOException e) {
            throw new UncheckedIOException("the Python MSRP peer is gone", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> args(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    /**
     * Connects over {@code transport} (tcp, tls, ws or wss) to 127.0.0.1; {@code trust} is the PEM
     * certificate file TLS accepts (ignored for tcp and ws). Returns the peer's own MSRP URI.
     */
    public String connect(String transport, int port, Path trust) {
        Map<String, String> a = args("transport", transport, "host", "127.0.0.1", "port", Integer.toString(port));
        if (trust != null) {
            a.put("cafile", trust.toString());
        }
        uri = command("connect", a).get("uri");
        return uri;
    }

    /** This peer's MSRP URI (the last of its path). */
    public String uri() {
        return uri;
    }

    /** AUTH to the relay at {@code relayUri} (RFC 4976 §5), answering the digest challenge. */
    public Reply auth(String relayUri, String user, String password) {
        return command("auth", args("relay", relayUri, "user", user, "password", password));
    }

    public Reply auth(String relayUri, String user, String password, int expires) {
        return command("auth", args("relay", relayUri, "user", user, "password", password, "expires",
                Integer.toString(expires)));
    }

    /** A SEND of {@code body} in chunks of {@code chunk} bytes; answers {@code tids} and {@code message-id}. */
    public Reply send(String toPath, String contentType, byte[] body, int chunk, String successReport) {
        return send(toPath, contentType, body, chunk, successReport, Map.of());
    }

    /** As above with further options: failure-report, delay-ms (between chunks), message-id, total=star. */
    public Reply send(String toPath, String contentType, byte[] body, int chunk, String successReport,
                      Map<String, String> options) {
        Map<String, String> a = args("to-path", toPath, "content-type", contentType, "body",
                Base64.getEncoder().encodeToString(body), "chunk", Integer.toString(chunk), "success-report",
                successReport);
        a.putAll(options);
        return command("send", a);
    }

    /** The next message nobody waited for, or kind {@code timeout} / {@code closed}. */
    public Reply next(Duration timeout) {
        return command("next", args("timeout", Double.toString(timeout.toMillis() / 1000.0)));
    }

    public Reply next() {
        return next(Duration.ofSeconds(10));
    }

    /** Takes SEND chunks until one message is whole, answering each with {@code answer}; a success REPORT if asked. */
    public Reply receive(Duration timeout, int answer) {
        return command("receive", args("timeout", Double.toString(timeout.toMillis() / 1000.0), "answer",
                Integer.toString(answer)));
    }

    public Reply receive() {
        return receive(Duration.ofSeconds(10), 200);
    }

    /** As {@link #receive()}, with a success REPORT for the bytes so far after every chunk (progress, RFC 4975 §7.1.2). */
    public Reply receiveWithProgress() {
        return command("receive", args("timeout", "10", "answer", "200", "progress", "yes"));
    }

    public void respond(String tid, int status, String comment) {
        command("respond", args("tid", tid, "status", Integer.toString(status), "comment", comment));
    }

    /** Writes bytes exactly as given: malformed input. */
    public void raw(byte[] data) {
        command("raw", args("data", Base64.getEncoder().encodeToString(data)));
    }

    public void raw(String text) {
        raw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes one at a time, {@code pace} apart: a slow sender. */
    public void rawSlowly(byte[] data, Duration pace) {
        command("raw", args("data", Base64.getEncoder().encodeToString(data), "pace-ms", Long.toString(pace.toMillis())));
    }

    /** Whether the other side closes the connection within {@code timeout}. */
    public boolean closedByPeer(Duration timeout) {
        return command("closed", args("timeout", Double.toString(timeout.toMillis() / 1000.0))).get("closed")
                .equals("true");
    }

    @Override
    public void close() {
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
