// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jaye.eval.report.Dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live dashboard's web server: the JDK's own HTTP server (no dependency), serving the page,
 * its scripts from the jar, and a small read-only API over the run folders under one root:
 *
 * <pre>
 *   GET /                                   the page
 *   GET /assets/NAME                        uPlot and the page's script and style
 *   GET /api/runs                           {"root": ..., "runs": [{"name", "kind"}]}
 *   GET /api/lines?run=R&amp;file=F&amp;from=B&amp;id=I whole lines of R's metrics.jsonl or samples.jsonl from byte B
 *                                           (I: the file identity the last answer gave; another means "start over")
 *   GET /api/config?run=R                   R's config.yaml
 *   GET /api/image?run=R&amp;path=P             a picture, only if R's samples.jsonl names it
 * </pre>
 *
 * It only reads, and only files the API names, so it is safe to leave running beside training;
 * it binds to loopback unless told otherwise.
 */
final class DashboardServer implements AutoCloseable {
    /** Bytes of a file sent per request; a long run's metrics arrive over a few polls. */
    private static final int CHUNK = 4 << 20;

    private final Path root;
    private final HttpServer http;
    private final ExecutorService pool;
    private final ObjectMapper json = new ObjectMapper();

    private DashboardServer(Path root, HttpServer http, ExecutorService pool) {
        this.root = root;
        this.http = http;
        this.pool = pool;
    }

    /** Starts serving {@code root} on host:port (port 0: a free one); the threads are daemons, so a trainer still exits. */
    static DashboardServer start(Path root, String host, int port) throws IOException {
        if (!Files.isDirectory(root)) Files.createDirectories(root);     // a run about to start: its folder appears soon
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "jaye-serve");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        DashboardServer s = new DashboardServer(root, http, pool);
        http.createContext("/", s::handle);
        http.start();
        return s;
    }

    /** The page's address, for the terminal. */
    String url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + a.getPort() + "/";
    }

    @Override
    public void close() {
        http.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            if (!loopbackHost(x)) {
                send(x, 403, "text/plain", "this page answers to 127.0.0.1, localhost or the address it listens on".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
                send(x, 405, "text/plain", "read only".getBytes(StandardCharsets.UTF_8));
                return;
            }
            URI uri = x.getRequestURI();
            String path = uri.getPath();
            Map<String, String> q = query(uri.getRawQuery());
            if (path.equals("/") || path.equals("/index.html")) {
                String title = String.valueOf(root.toAbsolutePath().normalize().getFileName());
                send(x, 200, "text/html; charset=utf-8", Dashboard.livePage(title).getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/assets/") && Dashboard.ASSETS.contains(path.substring(8))) {
                String name = path.substring(8);
                send(x, 200, name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", Dashboard.asset(name));
            } else if (path.equals("/api/runs")) {
                ObjectNode o = json.createObjectNode().put("root", root.toString());
                ArrayNode list = o.putArray("runs");
                for (Dashboard.RunEntry r : Dashboard.runs(root)) list.addObject().put("name", r.name()).put("kind", r.kind());
                sendJson(x, o);
            } else if (path.equals("/api/lines")) {
                Dashboard.RunEntry r = run(x, q);
                if (r == null) return;
                String file = q.getOrDefault("file", "");
                Path f = switch (file) {
                    case "metrics" -> r.metrics();
                    case "samples" -> r.dir().resolve("samples.jsonl");
                    default -> null;
                };
                if (f == null) { send(x, 400, "text/plain", "file must be metrics or samples".getBytes(StandardCharsets.UTF_8)); return; }
                long from;
                try {
                    from = Long.parseLong(q.getOrDefault("from", "0"));
                } catch (NumberFormatException e) {
                    send(x, 400, "text/plain", "from must be a byte offset".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                Dashboard.Chunk c = Dashboard.read(f, from, CHUNK, q.get("id"));
                ObjectNode o = json.createObjectNode().put("next", c.next()).put("reset", c.reset()).put("id", c.id());
                ArrayNode lines = o.putArray("lines");
                c.lines().forEach(lines::add);
                sendJson(x, o);
            } else if (path.equals("/api/config")) {
                Dashboard.RunEntry r = run(x, q);
                if (r == null) return;
                Path cfg = r.dir().resolve("config.yaml");
                if (!Files.isRegularFile(cfg)) send(x, 404, "text/plain", "no config.yaml".getBytes(StandardCharsets.UTF_8));
                else send(x, 200, "text/plain; charset=utf-8", Files.readAllBytes(cfg));
            } else if (path.equals("/api/image")) {
                Dashboard.RunEntry r = run(x, q);
                if (r == null) return;
                String image = q.get("path");
                if (!Dashboard.logsImage(r, image) || !Files.isRegularFile(Path.of(image)))
                    send(x, 404, "text/plain", "not a picture of this run's samples".getBytes(StandardCharsets.UTF_8));
                else {
                    x.getResponseHeaders().set("Cache-Control", "max-age=3600");   // a sample's picture never changes
                    send(x, 200, "image/png", Files.readAllBytes(Path.of(image)));
                }
            } else {
                send(x, 404, "text/plain", ("no page " + path).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            // a file mid-rename or a page gone away: the page asks again in two seconds
            try {
                send(x, 500, "text/plain", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException ignored) {
                // the response had started; nothing more to say
            }
        } finally {
            x.close();
        }
    }

    /**
     * The Host header names this server: 127.0.0.1, localhost, [::1] or the address it was told
     * to listen on. A page of another site that a browser resolves to 127.0.0.1 (DNS rebinding)
     * sends its own host name, and is refused.
     */
    private boolean loopbackHost(HttpExchange x) {
        String host = x.getRequestHeaders().getFirst("Host");
        if (host == null) return true;                                   // HTTP/1.0 clients, scripts
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d+$", "");
        String bound = http.getAddress().getAddress().getHostAddress();
        return name.equals("127.0.0.1") || name.equals("localhost") || name.equals("[::1]") || name.equals(bound) || name.equals("[" + bound + "]")
                || name.equals(http.getAddress().getHostString());
    }

    private Dashboard.RunEntry run(HttpExchange x, Map<String, String> q) throws IOException {
        Dashboard.RunEntry r = Dashboard.find(root, q.get("run"));
        if (r == null) send(x, 404, "text/plain", ("no run " + q.get("run") + " under " + root).getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private void sendJson(HttpExchange x, ObjectNode o) throws IOException {
        send(x, 200, "application/json", json.writeValueAsBytes(o));
    }

    private static void send(HttpExchange x, int code, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        if (!x.getResponseHeaders().containsKey("Cache-Control")) x.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(code, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }
}
