package org.parley.server;

import org.parley.config.ConfigException;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The {@code parley} command line. {@link #run} returns the exit code so that tests can call it in-process. */
public final class Main {
    static final String USAGE = """
            Usage: parley <command> [options]

            Commands:
              start               run the server in the foreground
              user                manage accounts: add, passwd, del, list
              test                (./parley script only) build and run the whole test suite
              help                show this help

            Every command accepts --config FILE, --data-dir DIR and --help.
            Settings: config/parley.properties documents every key; PARLEY_<KEY> environment variables
            override the file (sip.udp.port -> PARLEY_SIP_UDP_PORT) and command-line flags override both.
            Exit codes: 0 success, 1 refused or failed (the reason is printed), 2 wrong usage.
            """;

    private final Cli cli;

    public Main(PrintStream out, PrintStream err, Map<String, String> env) {
        this.cli = new Cli(out, err, env);
    }

    public static void main(String[] args) {
        Carriers.settle(); // before anything makes a virtual thread: the JDK reads it once
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(new Main(System.out, System.err, System.getenv()).run(args));
    }

    public int run(String... args) {
        if (args.length == 0) {
            return cli.usageError("no command given", USAGE);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "help", "--help", "-h" -> {
                    cli.out().print(USAGE);
                    yield Cli.OK;
                }
                case "start" -> new StartCommand(cli).run(rest);
                case "user" -> {
                    // The account tools print their own results; pool and migration chatter would bury them.
                    quietLogging();
                    yield new UserCommand(cli).run(rest);
                }
                default -> cli.usageError("unknown command '" + args[0] + "'", USAGE);
            };
        } catch (UsageException e) {
            return cli.usageError(e.getMessage(), args[0].equals("start") ? StartCommand.USAGE : USAGE);
        } catch (ConfigException e) {
            cli.err().println("parley: " + e.getMessage());
            return Cli.REFUSED;
        } catch (RuntimeException e) {
            cli.err().println("parley: " + describe(e));
            return Cli.REFUSED;
        }
    }

    /** The message plus the root cause's, which usually names the port, file or host at fault. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(e.getMessage());
        return root == e || message.contains(String.valueOf(root.getMessage())) ? message
                : message + " (" + root + ")";
    }

    private static void quietLogging() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.WARN);
        }
    }
}
