package org.parley.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The effective configuration: the documented defaults (config/parley.properties, copied into the jar
 * by the build), overlaid by the --config file, then environment variables, then command-line flags.
 * The defaults define the set of keys; anything else is a mistake worth stopping for.
 */
public final class Config {
    /** Where the build puts a copy of config/parley.properties. */
    static final String DEFAULTS_RESOURCE = "/org/parley/config/parley.properties";
    private static final String ENV_PREFIX = "PARLEY_";

    private final Map<String, Entry> entries;

    private record Entry(String value, String source) {
    }

    private Config(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /**
     * @param file         the operator's file; may hold any subset of the keys
     * @param env          environment variables ({@code PARLEY_SIP_UDP_PORT} for {@code sip.udp.port})
     * @param cliOverrides values from command-line flags, by key
     * @throws ConfigException for an unreadable file or an unknown key
     */
    public static Config load(Optional<Path> file, Map<String, String> env, Map<String, String> cliOverrides) {
        Map<String, Entry> entries = new TreeMap<>();
        defaults().forEach((key, value) -> entries.put(key, new Entry(value, "defaults")));
        if (file.isPresent()) {
            Path path = file.get();
            read(path).forEach((key, value) -> put(entries, key, value, "file " + path));
        }
        for (String key : Set.copyOf(entries.keySet())) {
            String value = env.get(envName(key));
            if (value != null) {
                entries.put(key, new Entry(value.trim(), "environment variable " + envName(key)));
            }
        }
        cliOverrides.forEach((key, value) -> put(entries, key, value, "command line"));
        return new Config(entries);
    }

    /** {@code sip.udp.port} → {@code PARLEY_SIP_UDP_PORT}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public String string(String key) {
        return entry(key).value();
    }

    /** Empty values mean "not set" (the defaults use that for "work it out"). */
    public Optional<String> optional(String key) {
        String value = string(key);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> invalid(key, "must not be empty"));
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "is not a whole number");
        }
    }

    public int positive(String key) {
        int value = integer(key);
        if (value <= 0) {
            throw invalid(key, "must be greater than 0");
        }
        return value;
    }

    public int nonNegative(String key) {
        int value = integer(key);
        if (value < 0) {
            throw invalid(key, "must not be negative");
        }
        return value;
    }

    public long nonNegativeLong(String key) {
        try {
            long value = Long.parseLong(string(key));
            if (value < 0) {
                throw invalid(key, "must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, "is not a whole number");
        }
    }

    /** A duration in whole seconds, greater than 0. */
    public Duration seconds(String key) {
        return Duration.ofSeconds(positive(key));
    }

    /** "true" or "false", nothing else: a typo must not silently mean false. */
    public boolean bool(String key) {
        String v = string(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(key, "must be true or false");
        }
        return v.equals("true");
    }

    /** 0 is allowed: it binds an ephemeral port. */
    public int port(String key) {
        int value = integer(key);
        if (value < 0 || value > 65535) {
            throw invalid(key, "is not a port number (0-65535)");
        }
        return value;
    }

    /** A comma-separated list; blanks between commas are ignored. */
    public List<String> list(String key) {
        return Arrays.stream(string(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** One of an enum's constants, written in lower case in the file ({@code delete}, {@code keep}...). */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        String value = string(key);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw invalid(key, "must be one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
    }

    public Path path(String key) {
        return Path.of(required(key));
    }

    public Optional<Path> optionalPath(String key) {
        return optional(key).map(Path::of);
    }

    /** An error naming the key, its value and where that value came from. */
    public ConfigException invalid(String key, String problem) {
        Entry entry = entry(key);
        return new ConfigException("Invalid " + key + "='" + entry.value() + "' (from " + entry.source() + "): "
                + problem);
    }

    private Entry entry(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            throw new IllegalArgumentException("No configuration key " + key + " in " + DEFAULTS_RESOURCE);
        }
        return entry;
    }

    private static void put(Map<String, Entry> entries, String key, String value, String source) {
        if (!entries.containsKey(key)) {
            throw new ConfigException("Unknown configuration key '" + key + "' (from " + source
                    + "); config/parley.properties lists every valid key");
        }
        entries.put(key, new Entry(value.trim(), source));
    }

    private static Map<String, String> defaults() {
        try (InputStream in = Config.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + DEFAULTS_RESOURCE + " on the classpath; rebuild parley-config");
            }
            return parse(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    private static Map<String, String> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader);
        } catch (IOException e) {
            throw new ConfigException("Cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> parse(Reader reader) throws IOException {
        Properties properties = new Properties();
        properties.load(reader);
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        return values;
    }
}
