// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval;

import dev.jaye.eval.data.Sample;
import dev.jaye.models.Vlm;
import dev.jaye.models.config.ModelConfig;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {
    @TempDir
    Path dir;

    private static Generator.Response response(String text, int tokens) {
        return new Generator.Response(new int[tokens], text, new float[tokens], true);
    }

    private static Sample sample(String id, Path image, String answer) {
        return new Sample(id, image, "How many shapes?", answer, null, null, Map.of());
    }

    @Test
    void scoreJudgesTheLastBoxAndComputesTheMethodsMetrics() {
        List<Sample> samples = List.of(sample("a", dir, "7"), sample("b", dir, "12"));
        List<List<Generator.Response>> responses = List.of(
                List.of(response("3 + 4 = 7, so \\boxed{7}", 10),
                        response("\\boxed{6}. Wait, let me check again: \\boxed{7.0}", 20),   // the last box counts
                        response("\\boxed{8}", 4),
                        response("the answer is 7", 6)),                                       // no box: wrong
                List.of(response("\\boxed{12}, verify: 3 x 4 = 12", 8),
                        response("\\boxed{11}", 4),
                        response("\\boxed{12", 2),                                             // never closed: wrong
                        response("12", 2)));
        Evaluator.Scored s = Evaluator.score(samples, responses, 1, 4);
        assertEquals(List.of(List.of(true, true, false, false), List.of(true, false, false, false)), s.correct());

        Map<String, Double> m = s.metrics().toMap();
        assertEquals(3.0 / 8, m.get("accuracy"), 1e-12);
        assertEquals((2.0 / 4 + 1.0 / 4) / 2, m.get("pass@1"), 1e-12);
        assertEquals(1.0, m.get("pass@4"), 1e-12);
        assertEquals(1.0, m.get("any_correct@4"), 1e-12);
        assertEquals(7.0, m.get("mean_response_length"), 1e-12);      // 56 tokens / 8
        // Two responses reflect ("Wait", "check again"; "verify"), both correct.
        assertEquals(2.0 / 8, m.get("reflection_ratio"), 1e-12);
        assertEquals(2.0 / 3, m.get("reflection_ratio_in_correct_answers"), 1e-12);
        assertEquals(0.0, m.get("reflection_ratio_in_incorrect_answers"), 1e-12);
        assertEquals(1.0, m.get("correct_ratio_in_reflection_texts"), 1e-12);
        assertEquals(1.0 / 6, m.get("correct_ratio_in_no_reflection_texts"), 1e-12);
        assertEquals(1.0, m.get("reflection_words/wait"));
        assertEquals(1.0, m.get("reflection_words/check again"));
        assertEquals(1.0, m.get("reflection_words/verify"));

        assertThrows(IllegalArgumentException.class, () -> Evaluator.score(samples, responses.subList(0, 1), 1));
    }

    @Test
    void theMethodsSettingsAreNamedAndParsed() {
        List<GenerationSetting> all = GenerationSetting.methodDefaults(64);
        assertEquals(List.of("pass@8_t1.0", "pass@1_t0.6", "pass@1_t0.01"), all.stream().map(GenerationSetting::name).toList());
        assertEquals(8, all.get(0).n());
        assertEquals(0.001, all.get(2).topP());
        assertEquals(all, GenerationSetting.parse("all", 64));
        assertEquals(List.of(all.get(2), all.get(0)), GenerationSetting.parse("pass@1_t0.01, pass@8_t1.0", 64));
        var e = assertThrows(IllegalArgumentException.class, () -> GenerationSetting.parse("pass@2_t1.0", 64));
        assertTrue(e.getMessage().contains("pass@8_t1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GenerationSetting.of(1, -1, 1, 8));
        GenerationSetting four = GenerationSetting.parse("pass@1_t0.6_n4", 64).get(0);
        assertEquals(new GenerationSetting("pass@1_t0.6_n4", 4, 1, 0.6, 1.0, 64), four, "four draws, still pass@1");
        var few = assertThrows(IllegalArgumentException.class, () -> GenerationSetting.parse("pass@8_t1.0_n4", 64));
        assertTrue(few.getMessage().contains("pass@8_t1.0_n4"), few.getMessage());
    }

    @Test
    void rowSeedsDifferForEveryPart() {
        Set<Long> seen = new HashSet<>();
        for (long seed : new long[]{0, 1})
            for (String s : new String[]{"pass@8_t1.0", "pass@1_t0.6"})
                for (int q = 0; q < 20; q++)
                    for (int d = 0; d < 8; d++) seen.add(Evaluator.rowSeed(seed, s, q, d));
        assertEquals(2 * 2 * 20 * 8, seen.size());
        assertEquals(Evaluator.rowSeed(5, "x", 3, 2), Evaluator.rowSeed(5, "x", 3, 2));
    }

    @Test
    void aTinyRunGivesNResponsesPerQuestionAndRepeatsForTheSameSeed() throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(new Color(60 * i, 200, 40));
            g.fillRect(8 * i, 10, 20, 20);
            g.dispose();
            Path png = dir.resolve(i + ".png");
            ImageIO.write(img, "png", png.toFile());
            samples.add(sample("q" + i, png, String.valueOf(i + 1)));
        }
        Evaluator ev = new Evaluator(new Vlm(ModelConfig.nano(), 1), Tokenizer.bytesOnly());
        List<GenerationSetting> settings = List.of(GenerationSetting.of(4, 1.0, 1.0, 6), GenerationSetting.of(1, 0.01, 0.001, 5));

        List<EvalResult> a = ev.evaluate(samples, settings, 7, 2, null);
        assertEquals(2, a.size());
        EvalResult p4 = a.get(0), greedy = a.get(1);
        assertEquals("pass@4_t1.0", p4.setting().name());
        assertEquals(3, p4.nSamples());
        for (EvalResult.SampleResult s : p4.samples()) {
            assertEquals(4, s.texts().size());
            assertEquals(4, s.correct().size());
        }
        greedy.samples().forEach(s -> assertEquals(1, s.texts().size()));
        assertTrue(p4.metrics().toMap().get("max_response_length") <= 6);
        assertTrue(greedy.metrics().toMap().get("max_response_length") <= 5);
        assertTrue(p4.metrics().toMap().containsKey("pass@4"));
        assertFalse(greedy.metrics().toMap().containsKey("pass@4"));
        Set<String> draws = new HashSet<>(p4.samples().get(0).texts());
        assertTrue(draws.size() > 1, "the n draws of one question have their own seeds: " + draws);

        // Same seed: the same texts, whatever the batch size (a row's seed does not depend on it).
        List<EvalResult> b = ev.evaluate(samples, settings, 7, 3, null);
        for (int i = 0; i < 2; i++) {
            assertEquals(a.get(i).sampleRecords(), b.get(i).sampleRecords());
            assertEquals(a.get(i).metrics().toMap(), b.get(i).metrics().toMap());
        }
        // Another seed: other draws at temperature 1.
        List<EvalResult> c = ev.evaluate(samples, settings.subList(0, 1), 8, 2, null);
        assertNotEquals(a.get(0).sampleRecords(), c.get(0).sampleRecords());

        String table = EvalResult.table(a);
        assertTrue(table.contains("pass@4_t1.0") && table.contains("reflection_ratio"), table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%.3f ± %.3f", p4.metrics().toMap().get("accuracy"),
                p4.accuracyStandardError())), table);
        assertTrue(table.contains("any_correct@k: a right") && table.contains("accuracy: share of all responses right"), "the legend: " + table);
        Map<String, Object> rec = p4.toRecord("m", "val", 7);
        assertEquals("pass@4_t1.0", rec.get("setting"));
        assertEquals(3, rec.get("n_samples"));
        assertTrue(rec.containsKey("any_correct@4"));
    }
}
