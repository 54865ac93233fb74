package org.parley.server.wire;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One linphonec process (Linphone's console client, Debian linphone-cli 5.1; C14 interop, an
 * RFC 3261 user agent and RFC 3428 pager): its own HOME, so it reads and writes no real user's
 * files; commands typed on its stdin, answers to its prompts typed as a user would, everything it
 * prints kept in a file that every failure message quotes.
 */
final class Linphonec implements AutoCloseable {
    private static final long WAIT_MILLIS = 20_000;

    private final String user;
    private final Process process;
    private final Path log;
    /** How much of the output earlier waits consumed: each prompt is looked for after the last one. */
    private int seen;

    private Linphonec(String user, Process process, Path log) {
        this.user = user;
        this.process = process;
        this.log = log;
    }

    /** Starts linphonec with an empty configuration in {@code home}, which becomes its HOME. */
    static Linphonec start(String binary, Path home, String user) throws IOException {
        // linphonec 5.1 hangs at start, before its prompt, when this directory is missing
        Files.createDirectories(home.resolve(".local/share/linphone"));
        // -1: a free port of the system's choice for each transport, never 5060 of a real phone
        Path config = home.resolve("linphonerc");
        Files.writeString(config, "[sip]\nsip_port=-1\nsip_tcp_port=-1\nsip_tls_port=-1\n");
        Path log = home.resolve("linphonec.log");
        ProcessBuilder pb = new ProcessBuilder(binary, "-c", config.toString()).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HOME", home.toString());
        return new Linphonec(user, pb.start(), log);
    }

    /**
     * Adds the account as README.md shows it: "proxy add" with the server as proxy and as route
     * (the route sends requests outside a dialog, a MESSAGE to sip:bob@localhost, to the server
     * and not to localhost:5060), then the password at linphonec's prompt, spaces and all.
     */
    void login(int udpPort, String password) throws IOException, InterruptedException {
        String proxy = "sip:127.0.0.1:" + udpPort;
        type("proxy add");
        answer("Enter proxy sip address:", proxy);
        answer("Your identity for this proxy:", "sip:" + user + "@localhost");
        answer("Do you want to register on this proxy (yes/no):", "yes");
        answer("Specify register expiration time in seconds (default is 600):", "600");
        answer("Specify route if needed:", proxy + ";lr");
        answer("Accept the above proxy configuration (yes/no) ?:", "yes");
        // typed nothing more until the registration is seen (the caller asks the server): a
        // line typed while linphonec still handles the password loses its first character
        answer("Password for " + user + " on localhost:", password);
    }

    /** Sends a pager-mode MESSAGE (linphonec's "chat" command). */
    void chat(String to, String text) throws IOException {
        type("chat " + to + " " + text);
    }

    String user() {
        return user;
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    /** Waits until linphonec has printed {@code text} after whatever earlier waits found. */
    void await(String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            String out = output();
            int at = out.indexOf(text, seen);
            if (at >= 0) {
                seen = at + text.length();
                return;
            }
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                fail(user + "'s linphonec never printed \"" + text + "\":\n" + out);
            }
            Thread.sleep(100);
        }
    }

    private void answer(String prompt, String line) throws IOException, InterruptedException {
        await(prompt);
        type(line);
    }

    private void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Quits as a user would ("quit": linphonec unregisters first), killing it if it does not end. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                type("quit");
            } catch (IOException e) {
                // its stdin is gone: it is ending anyway
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
