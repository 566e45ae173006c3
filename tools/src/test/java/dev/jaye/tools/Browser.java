// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real headless Chromium driven over the DevTools protocol (a WebSocket speaking JSON), so the
 * dashboard's tests run its page as a user's browser does, with no driver library: navigate,
 * evaluate a script, wait for a condition, collect the page's uncaught errors.
 */
final class Browser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Uncaught exceptions and console errors of the page, as the protocol reported them. */
    final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The browser on this machine: -Djaye.test.chromium, else chromium or google-chrome on the PATH; null if none. */
    static Path find() {
        String given = System.getProperty("jaye.test.chromium");
        if (given != null && !given.isBlank()) return Path.of(given);
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        return null;
    }

    Browser(Path chromium, Path profile) throws Exception {
        process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--window-size=1300,1800",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
        Path active = profile.resolve("DevToolsActivePort");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.isRegularFile(active) && Files.readAllLines(active).size() >= 2)) {
            if (!process.isAlive()) throw new IOException("chromium exited: " + Files.readString(profile.resolveSibling("chromium.log")));
            if (System.nanoTime() > until) throw new IOException("chromium did not open its DevTools port in 60 s");
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(active).getFirst().strip());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String ws = null;
        for (JsonNode t : targets) if (t.path("type").asText().equals("page")) ws = t.path("webSocketDebuggerUrl").asText();
        if (ws == null) throw new IOException("chromium has no page: " + targets);
        socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new Listener()).get(30, TimeUnit.SECONDS);
        call("Runtime.enable", JSON.createObjectNode());
        call("Page.enable", JSON.createObjectNode());
    }

    /** Receives the protocol's messages: answers to our calls by id, and the events we watch. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                String text = part.toString();
                part.setLength(0);
                try {
                    JsonNode m = JSON.readTree(text);
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                        if (f != null) f.complete(m);
                    } else if (m.path("method").asText().equals("Runtime.exceptionThrown")) {
                        errors.add(m.path("params").path("exceptionDetails").toString());
                    } else if (m.path("method").asText().equals("Runtime.consoleAPICalled")
                            && m.path("params").path("type").asText().equals("error")) {
                        errors.add(m.path("params").path("args").toString());
                    }
                } catch (IOException e) {
                    errors.add("unreadable protocol message: " + e);
                }
            }
            ws.request(1);
            return null;
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(msg.toString(), true).get(30, TimeUnit.SECONDS);
        JsonNode r = f.get(60, TimeUnit.SECONDS);
        if (r.has("error")) throw new IOException(method + ": " + r.get("error"));
        return r.path("result");
    }

    void open(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** The value of a script's expression (a promise is awaited), as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) throw new IOException("script failed: " + expression + ": " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Evaluates until {@code ok} holds for the value (at most {@code seconds}); the last value either way. */
    JsonNode waitFor(String expression, Predicate<JsonNode> ok, double seconds) throws Exception {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        JsonNode v = null;
        while (System.nanoTime() < until) {
            try {
                v = eval(expression);
                if (v != null && ok.test(v)) return v;
            } catch (IOException e) {
                v = JSON.getNodeFactory().textNode(e.getMessage());   // the page is still loading: try again
            }
            Thread.sleep(100);
        }
        return v;
    }

    /** A PNG of the page as it is drawn now. */
    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot",
                JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true)).path("data").asText());
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
