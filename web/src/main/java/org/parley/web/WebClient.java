package org.parley.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Parley Web at {@code /}: the page, its one script (the page's modules and JsSIP, bundled by
 * build.mjs) and its style, from the jar, plus {@code /parley-web.json}, which tells the page the
 * SIP domain and the WebSocket ports (RFC 7118) to register on, and the MSRP relay's (RFC 7977). Only these names are routed, so
 * the other services of the listener ({@code /health}, {@code /api/v1}...) are never shadowed.
 *
 * <p>Every answer carries a Content-Security-Policy that lets the page load and connect to this
 * server only: no script from elsewhere, no inline script (what a message or a name holds can
 * never run), no framing.
 */
public final class WebClient implements HttpService {
    static final String RESOURCES = "site/";
    static final String CONFIG_PATH = "/parley-web.json";
    /** WebSocket URLs cannot be named as 'self' (another scheme and port): ws: and wss: to any host the page picks. */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self' ws: wss:; media-src 'self' data:; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'none'";
    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=UTF-8",
            "app.js", "text/javascript; charset=UTF-8",
            "app.js.map", "application/json",
            "style.css", "text/css; charset=UTF-8",
            "favicon.svg", "image/svg+xml");

    /**
     * What the page needs to know to register and to chat in sessions: the SIP domain, the bound
     * SIP WebSocket ports and the MSRP relay's WebSocket ports (RFC 7977).
     *
     * @param wsPort      SIP over WebSocket, for a page loaded over HTTP
     * @param wssPort     SIP over secure WebSocket, for a page loaded over HTTPS
     * @param msrpWsPort  the MSRP relay over plain WebSocket, -1 when off
     * @param msrpWssPort the MSRP relay over secure WebSocket, -1 when off
     * @param msrpWsLoopback the plain WebSocket listens on loopback only (the default: AUTH and messages cross
     *                    it in clear), so only a page opened on this machine can use it
     */
    public record Sip(String domain, int wsPort, int wssPort, int msrpWsPort, int msrpWssPort, boolean msrpWsLoopback) {
        String json() {
            return "{\"domain\":\"" + domain.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"wsPort\":" + wsPort
                    + ",\"wssPort\":" + wssPort + ",\"msrpWsPort\":" + msrpWsPort + ",\"msrpWssPort\":" + msrpWssPort
                    + ",\"msrpWsLoopback\":" + msrpWsLoopback + "}";
        }
    }

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final Map<String, Asset> assets;
    private final Supplier<Sip> sip;

    /** @param sip read on each request: the ports are bound after the HTTP side starts */
    public WebClient(Supplier<Sip> sip) {
        this.sip = sip;
        this.assets = Map.copyOf(FILES.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> load(e.getKey(), e.getValue()))));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> serve(assets.get("index.html"), req, res));
        assets.forEach((name, asset) -> rules.get("/" + name, (req, res) -> serve(asset, req, res)));
        rules.get(CONFIG_PATH, (req, res) -> {
            secure(res);
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.header(HeaderNames.CONTENT_TYPE, "application/json").send(sip.get().json());
        });
    }

    /** Revalidated on every load (no-cache + ETag): a new build is picked up at once, an unchanged one costs a 304. */
    private static void serve(Asset asset, ServerRequest req, ServerResponse res) {
        secure(res);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.ETAG, asset.etag());
        boolean unchanged = req.headers().first(HeaderNames.IF_NONE_MATCH)
                .map(v -> v.contains(asset.etag())).orElse(false);
        if (unchanged) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType()).send(asset.bytes());
    }

    private static void secure(ServerResponse res) {
        res.header(CSP, POLICY);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(REFERRER_POLICY, "no-referrer");
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = WebClient.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("Parley Web is not built: classpath resource org/parley/web/" + RESOURCES
                        + name + " is missing (mvn package runs web/build.mjs)");
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 24) + "\"";
            return new Asset(bytes, contentType, etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
