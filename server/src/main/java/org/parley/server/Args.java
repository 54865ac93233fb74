package org.parley.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** GNU-style options ({@code --name value}, {@code --name=value}, flags) mixed with positional arguments. */
final class Args {
    /** Accepted by every subcommand. */
    static final Set<String> COMMON_OPTIONS = Set.of("--config", "--data-dir");

    private final List<String> positional;
    private final Map<String, List<String>> options;
    private final boolean help;

    private Args(List<String> positional, Map<String, List<String>> options, boolean help) {
        this.positional = positional;
        this.options = options;
        this.help = help;
    }

    /** @param valued the options (besides the common ones) that take a value */
    static Args parse(List<String> tokens, Set<String> valued) throws UsageException {
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.equals("--help") || token.equals("-h")) {
                help = true;
            } else if (token.startsWith("--")) {
                int eq = token.indexOf('=');
                String name = eq < 0 ? token : token.substring(0, eq);
                if (!valued.contains(name) && !COMMON_OPTIONS.contains(name)) {
                    throw new UsageException("unknown option " + name);
                }
                String value;
                if (eq >= 0) {
                    value = token.substring(eq + 1);
                } else if (i + 1 < tokens.size()) {
                    value = tokens.get(++i);
                } else {
                    throw new UsageException(name + " needs a value");
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                positional.add(token);
            }
        }
        return new Args(List.copyOf(positional), options, help);
    }

    boolean help() {
        return help;
    }

    List<String> positional() {
        return positional;
    }

    /** The single value of an option; given twice is an error rather than a silent last-one-wins. */
    Optional<String> value(String name) throws UsageException {
        List<String> values = values(name);
        if (values.size() > 1) {
            throw new UsageException(name + " given more than once");
        }
        return values.stream().findFirst();
    }

    List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    Optional<Integer> intValue(String name) throws UsageException {
        Optional<String> value = value(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.get()));
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a whole number, got '" + value.get() + "'");
        }
    }
}
