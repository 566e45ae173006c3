// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.loop;

import dev.jaye.eval.metrics.JsonLines;
import dev.jaye.models.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * train.dump_tokens (--dump-tokens): one JSON line per response per generation step, with each
 * token and what the update did with it, to see where the signal went: its text piece, its
 * advantage, the ratio new/old, whether clipping cut its gradient (-1 low, +1 high, 0 no), its
 * k3 KL to the reference and the policy's entropy there (values from the first ppo epoch).
 */
final class TokenDump {
    private TokenDump() {}

    static void append(Path file, int generationStep, List<Trajectory> batch, float[][] adv, PolicyUpdate.Stats s, Tokenizer tok)
            throws IOException {
        for (int i = 0; i < batch.size(); i++) {
            Trajectory t = batch.get(i);
            PolicyUpdate.PerToken p = s.tokens()[i];
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("generation_step", generationStep);
            rec.put("row", i);
            rec.put("query", t.query().index());
            rec.put("sample", t.query().sample().id());
            rec.put("score", t.score());
            rec.put("rewards", t.rewards());
            rec.put("correct", t.correct());
            rec.put("finished", t.finished());
            rec.put("ids", t.response());
            String[] pieces = new String[t.length()];
            for (int j = 0; j < pieces.length; j++) pieces[j] = tok.decodeToken(t.response()[j]);
            rec.put("pieces", pieces);
            rec.put("advantage", adv[i]);
            rec.put("in_update", p != null);        // false: its group was dropped (drop_zero_spread), nothing below was computed
            if (p != null) {
                rec.put("ratio", p.ratio());
                rec.put("clipped", p.clipped());
                rec.put("kl", p.kl());
                rec.put("entropy", p.entropy());
                rec.put("old_logprob", t.oldLogProbs());
            }
            JsonLines.append(file, rec);
        }
    }
}
