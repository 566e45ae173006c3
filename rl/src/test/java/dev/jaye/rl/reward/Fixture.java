// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.reward;

import dev.jaye.eval.data.Sample;

import java.nio.file.Path;
import java.util.Map;

/** Hand-made responses to one question whose reference answer is 12. */
final class Fixture {
    private Fixture() {}

    static final Sample SAMPLE = new Sample("q-7", Path.of("x.png"), "How many?", "12", null, "count_total", Map.of());

    /** A finished response of 10 tokens: long enough for any default, so only the text matters. */
    static Response response(String text) {
        return response(text, 10, true);
    }

    /** A response of {@code length} tokens (their values do not matter to any rule). */
    static Response response(String text, int length, boolean finished) {
        return new Response(SAMPLE, new int[length], text, finished);
    }
}
