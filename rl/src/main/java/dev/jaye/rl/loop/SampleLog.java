// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.eval.EvalResult;
import dev.jaye.eval.data.Sample;
import dev.jaye.eval.metrics.JsonLines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A few responses of every generation step and of every evaluation in {@code samples.jsonl}, to
 * be read by a person (the dashboard and the report show them): what the policy actually wrote,
 * for which picture and question, and what it was scored. A right answer reached by a wrong
 * count is visible only here.
 */
public final class SampleLog {
    private SampleLog() {}

    /** Responses logged per generation step: the first response to each of the first queries. */
    static final int PER_STEP = 4;

    static void append(Path file, int generationStep, List<Trajectory> batch) throws IOException {
        int logged = 0, group = -1;
        for (Trajectory t : batch) {
            if (t.group() == group) continue;                   // the first response of each group
            group = t.group();
            if (logged++ == PER_STEP) break;
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("generation_step", generationStep);
            question(rec, t.query().sample());
            rec.put("response", t.text());
            rec.put("reward", t.score());
            rec.put("correct", t.correct());
            rec.put("length", t.length());
            rec.put("finished", t.finished());
            JsonLines.append(file, rec);
        }
    }

    /** What a record says of its question, training step or evaluation alike: id, family, picture, question, gold answer. */
    private static void question(Map<String, Object> rec, Sample q) {
        rec.put("id", q.id());
        rec.put("family", q.family());
        rec.put("image", q.image().toAbsolutePath().toString());
        rec.put("question", q.question());
        rec.put("answer", q.answer());
    }

    /** Responses logged per split and setting of an evaluation: the first response to each of the first questions. */
    static final int PER_EVALUATION = 4;

    /**
     * An evaluation's first questions with their first response; {@code where} says when
     * (generation_step or step, and epoch: a resume cuts this file back by the step key).
     */
    public static void appendEvaluation(Path file, Map<String, Object> where, String split, List<Sample> questions, List<EvalResult> results)
            throws IOException {
        for (EvalResult r : results) {
            for (int i = 0; i < Math.min(PER_EVALUATION, r.samples().size()); i++) {
                EvalResult.SampleResult got = r.samples().get(i);
                Sample q = questions.get(i);                            // results keep the split's order
                Map<String, Object> rec = new LinkedHashMap<>(where);
                rec.put("split", split);
                rec.put("setting", r.setting().name());
                question(rec, q);
                rec.put("response", got.texts().getFirst());
                rec.put("correct", got.correct().getFirst());
                if (got.lengths() != null) rec.put("length", got.lengths().getFirst());
                JsonLines.append(file, rec);
            }
        }
    }
}
