package org.parley.server;

import org.parley.config.Config;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What every subcommand shares: where to print, the environment, and how to load the configuration. */
record Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;

    static final String COMMON_OPTIONS_HELP = """
              --config FILE       configuration file (keys as in config/parley.properties)
              --data-dir DIR      data directory (overrides data.dir)
              -h, --help          show this help
            """;

    /** Loads the configuration with {@code overrides} (by key) plus the common options on top. */
    ServerSettings settings(Args args, Map<String, String> overrides) throws UsageException {
        Map<String, String> cli = new HashMap<>(overrides);
        args.value("--data-dir").ifPresent(dir -> cli.put("data.dir", dir));
        Optional<Path> file = args.value("--config").map(Path::of);
        return ServerSettings.from(Config.load(file, env, cli));
    }

    int usageError(String message, String usage) {
        err.println("parley: " + message);
        err.print(usage);
        return USAGE;
    }
}
