package org.parley.server.wire;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One baresip process as a presence and pager-mode client (GIM-1 interop; RFC 3903 publisher,
 * RFC 3856 watcher, RFC 3428 MESSAGE): its own configuration directory, one account on the test server, one contact it
 * watches, commands typed on its stdin and everything it prints, SIP trace included, kept in a
 * file that every failure message quotes.
 */
final class Baresip implements AutoCloseable {
    private static final long WAIT_MILLIS = 20_000;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");

    private final String user;
    private final String watched;
    private final Process process;
    private final Path log;

    private Baresip(String user, String watched, Process process, Path log) {
        this.user = user;
        this.watched = watched;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts baresip for {@code user}, publishing its presence and watching {@code watched} (or,
     * given as a full sip: address, only messaging it), both on the test server's UDP port.
     */
    static Baresip start(String binary, Path dir, String user, String password, String watched, int udpPort)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config"), String.join("\n",
                "sip_listen 127.0.0.1:0",
                "module_path " + modules(binary),
                // stdio takes commands from stdin; no audio module: presence needs no media
                "module stdio.so",
                "module_tmp account.so",
                "module_app contact.so",
                // menu takes incoming MESSAGEs (without it baresip answers them 501)
                "module_app menu.so",
                "module_app presence.so", ""));
        // "localhost" names no SIP port the test server listens on, so requests outside a dialog go by the
        // outbound proxy; pubint turns the presence publisher on
        Files.writeString(dir.resolve("accounts"), "<sip:" + user + "@localhost>;auth_pass=" + password
                + ";outbound=\"sip:127.0.0.1:" + udpPort + ";transport=udp\";regint=600;pubint=600\n");
        // a user of the test domain is watched; a full address (a chat room) is only messaged
        Files.writeString(dir.resolve("contacts"), watched.startsWith("sip:") ? "\"chat\" <" + watched + ">\n"
                : "\"" + watched + "\" <sip:" + watched + "@localhost>;presence=p2p\n");
        Path log = dir.resolve("baresip.log");
        // -s traces SIP; -t ends baresip by itself should this JVM die before tearing it down
        Process p = new ProcessBuilder(binary, "-f", dir.toString(), "-s", "-t", "120")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Baresip(user, watched, p, log);
    }

    /** Where the package put baresip's modules: a lib directory, or its multiarch subdirectory, of the binary's prefix. */
    private static Path modules(String binary) throws IOException {
        Path prefix = Path.of(binary).toRealPath().getParent().getParent();
        try (Stream<Path> libs = Files.list(prefix)) {
            for (Path lib : libs.filter(d -> d.getFileName().toString().startsWith("lib") && Files.isDirectory(d)).toList()) {
                try (Stream<Path> archs = Files.list(lib)) {
                    for (Path base : Stream.concat(Stream.of(lib), archs.filter(Files::isDirectory)).toList()) {
                        Path modules = base.resolve("baresip/modules");
                        if (Files.exists(modules.resolve("presence.so"))) {
                            return modules;
                        }
                    }
                }
            }
        }
        fail("baresip's presence module is not under " + prefix + "/lib*: run `apt-get install baresip`");
        return null;
    }

    String user() {
        return user;
    }

    /** All baresip printed so far, colours removed. */
    String output() {
        return plain(raw());
    }

    private String raw() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    private static String plain(String s) {
        return ANSI.matcher(s).replaceAll("").replace("\r\n", "\n");
    }

    /** Waits until baresip has printed {@code text}. */
    void await(String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!output().contains(text)) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                fail(user + "'s baresip never printed \"" + text + "\":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** Asks baresip for its contact list until it shows the watched contact with {@code status} (Online, Offline...). */
    void awaitContact(String status) throws IOException, InterruptedException {
        Pattern line = Pattern.compile("(?m)^>?\\s*" + status + " " + watched + " <sip:" + watched + "@localhost>$");
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            int mark = raw().length();
            command("contacts");
            long listed = System.currentTimeMillis() + 1_000;
            while (System.currentTimeMillis() < listed) {
                String answer = plain(raw().substring(mark));
                if (line.matcher(answer).find()) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        fail(user + "'s baresip never listed " + watched + " as " + status + ":\n" + output());
    }

    /** Sends a pager-mode MESSAGE with {@code text} to the watched contact, baresip's current contact. */
    void message(String text) throws IOException {
        command("message " + text);
    }

    /** Waits until baresip has received a request {@code method} whose body holds {@code text}. */
    void awaitRequest(String method, String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (messages().stream().noneMatch(m -> m.startsWith(method + " ") && m.contains(text))) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                fail(user + "'s baresip never received a " + method + " with \"" + text + "\":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits until a NOTIFY about the watched contact holds every one of {@code parts}: the state
     * shown first may come from the contact's registration alone, its own PUBLISH a moment later.
     */
    void awaitNotify(String... parts) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (notifies().stream().noneMatch(m -> Arrays.stream(parts).allMatch(m::contains))) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                fail(user + "'s baresip never got a NOTIFY with " + String.join(", ", parts) + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** Waits until baresip has received the final response {@code status} ("200 OK") to a request {@code method}. */
    void awaitAnswered(String method, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (answered(method, status).isEmpty()) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                fail(user + "'s baresip never got " + status + " to a " + method + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    private void command(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(("/" + command + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    /** The traced SIP messages, each from its start line on. */
    private List<String> messages() {
        // the trace prints "#", then "UDP from -> to", then the message
        return Arrays.stream(output().split("(?m)^#\n"))
                .map(block -> block.substring(block.indexOf('\n') + 1))
                .toList();
    }

    /** The final responses {@code status} ("200 OK") baresip received to its requests {@code method}. */
    List<String> answered(String method, String status) {
        Pattern cseq = Pattern.compile("(?m)^CSeq: \\d+ " + method + "$");
        return messages().stream()
                .filter(m -> m.startsWith("SIP/2.0 " + status + "\n") && cseq.matcher(m).find())
                .toList();
    }

    /** The NOTIFYs baresip received about the watched contact's presence, oldest first. */
    List<String> notifies() {
        return messages().stream()
                .filter(m -> m.startsWith("NOTIFY ") && m.contains("\nFrom: <sip:" + watched + "@localhost>"))
                .toList();
    }

    /** Ends baresip as a user would (SIGTERM): it removes its publication and its binding, then exits. */
    void quit() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            fail(user + "'s baresip did not quit:\n" + output());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
