// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jaye serve's HTTP API on a real socket: what it lists and serves, and what it refuses. */
class DashboardServerTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> get(DashboardServer s, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void servesThePageItsScriptsAndTheRunsLinesAndRefusesAnythingElse() throws Exception {
        Path run = Files.createDirectories(dir.resolve("rl/seed-0"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"generation_step\":1,\"reward\":0.5}\n{\"generation_step\":2,");
        Files.writeString(run.resolve("config.yaml"), "seed: 0\n");
        Path png = Files.write(dir.resolve("q.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(run.resolve("samples.jsonl"), "{\"generation_step\":1,\"image\":" + new ObjectMapper().writeValueAsString(png.toString()) + "}\n");
        Files.writeString(dir.resolve("secret.txt"), "no");
        try (DashboardServer s = DashboardServer.start(dir, "127.0.0.1", 0)) {
            assertTrue(s.url().startsWith("http://127.0.0.1:"), s.url());
            HttpResponse<String> page = get(s, "");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("assets/uPlot.iife.min.js") && page.body().contains("assets/dashboard.js"));
            assertEquals(200, get(s, "assets/uPlot.iife.min.js").statusCode(), "uPlot from its WebJar");
            assertTrue(get(s, "assets/dashboard.js").headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));

            JsonNode runs = new ObjectMapper().readTree(get(s, "api/runs").body()).path("runs");
            assertEquals("rl/seed-0", runs.get(0).path("name").asText());
            assertEquals("rl", runs.get(0).path("kind").asText());
            JsonNode lines = new ObjectMapper().readTree(get(s, "api/lines?run=" + q("rl/seed-0") + "&file=metrics&from=0").body());
            assertEquals(1, lines.path("lines").size(), "the unfinished second line waits");
            assertEquals("seed: 0\n", get(s, "api/config?run=" + q("rl/seed-0")).body());
            assertEquals(200, get(s, "api/image?run=" + q("rl/seed-0") + "&path=" + q(png.toString())).statusCode());

            assertEquals(404, get(s, "api/image?run=" + q("rl/seed-0") + "&path=" + q(dir.resolve("secret.txt").toString())).statusCode(),
                    "a file no sample names");
            assertEquals(404, get(s, "api/config?run=" + q("../" + dir.getFileName())).statusCode(), "a run not listed");
            assertEquals(404, get(s, "assets/..%2F..%2Fsecret.txt").statusCode());
            assertEquals(400, get(s, "api/lines?run=" + q("rl/seed-0") + "&file=config&from=0").statusCode());
            assertEquals(400, get(s, "api/lines?run=" + q("rl/seed-0") + "&file=metrics&from=x").statusCode());
            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.url() + "api/runs"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode(), "read only");

            // DNS rebinding: a page of another site resolved to 127.0.0.1 sends its own Host, and is refused
            try (java.net.Socket sock = new java.net.Socket("127.0.0.1", java.net.URI.create(s.url()).getPort())) {
                sock.getOutputStream().write("GET /api/runs HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String status = new java.io.BufferedReader(new java.io.InputStreamReader(sock.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertTrue(status.contains(" 403 "), status);
            }
        }
    }

    @Test
    void theServeCommandRefusesAMissingFolderAndABadPort() {
        Cli.Run missing = Cli.run("serve", dir.resolve("nothing").toString(), "--port", "0");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nothing: no such folder"), missing.err());
        Cli.Run port = Cli.run("serve", dir.toString(), "--port", "70000");
        assertEquals(1, port.code());
        assertTrue(port.err().contains("--port 70000"), port.err());
    }
}
