// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl;

import dev.jaye.eval.EvalResult;
import dev.jaye.models.Vlm;
import dev.jaye.models.io.BestModel;
import dev.jaye.models.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code train.keep_best: true} for both trainers: after an evaluation, the model goes to
 * {@code RUN/best/} when its accuracy is the highest so far on the split that judges it ("val"
 * when it is evaluated, else the first of the evaluated splits) under the first evaluation
 * setting. The score lives in best/best.json, so a resumed run goes on comparing with it.
 */
public final class KeepBest {
    private KeepBest() {}

    /** The split whose accuracy picks the best model among {@code splits}, in their order. */
    public static String judgingSplit(Set<String> splits) {
        return splits.contains("val") ? "val" : splits.iterator().next();
    }

    /** Offers the model if {@code split} is the judging split; says so on {@code log} (may be null) when best/ changed. */
    public static void offer(Path runDir, Set<String> splits, String split, List<EvalResult> results,
                             Map<String, Object> when, Vlm model, Tokenizer tok, PrintStream log) throws IOException {
        if (results.isEmpty() || !split.equals(judgingSplit(splits))) return;
        EvalResult first = results.get(0);
        Map<String, Object> about = new LinkedHashMap<>(when);
        about.put("split", split);
        about.put("setting", first.setting().name());
        about.put("metric", "accuracy");
        Path best = runDir.resolve("best");
        if (BestModel.offer(best, first.metrics().responses().accuracy(), about, model, tok) && log != null)
            log.println("best so far on " + split + ": saved to " + best);
    }
}
