package org.parley.server;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code parley start}: runs the server in the foreground until SIGTERM or Ctrl-C. */
final class StartCommand {
    static final String USAGE = """
            Usage: parley start [--domain NAME] [--sip-port N] [--http-port N] [options]

            Runs the server in the foreground; stop it with Ctrl-C or SIGTERM.
              --domain NAME       SIP domain served (overrides parley.domain)
              --sip-port N        SIP port for UDP and TCP (overrides sip.udp.port and sip.tcp.port)
              --http-port N       HTTP port for /health, /metrics and the admin API (overrides http.port)
            """ + Cli.COMMON_OPTIONS_HELP;

    private final Cli cli;

    StartCommand(Cli cli) {
        this.cli = cli;
    }

    int run(List<String> tokens) throws UsageException {
        Args args = Args.parse(tokens, Set.of("--domain", "--sip-port", "--http-port"));
        if (args.help()) {
            cli.out().print(USAGE);
            return Cli.OK;
        }
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().getFirst());
        }
        Map<String, String> overrides = new HashMap<>();
        args.value("--domain").ifPresent(v -> overrides.put("parley.domain", v));
        args.value("--sip-port").ifPresent(v -> {
            overrides.put("sip.udp.port", v);
            overrides.put("sip.tcp.port", v);
        });
        args.value("--http-port").ifPresent(v -> overrides.put("http.port", v));
        ParleyServer server = ParleyServer.start(cli.settings(args, overrides));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "parley-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop();
        }
        return Cli.OK;
    }
}
