// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jaye.models.generate.Generator;
import dev.jaye.models.io.Checkpoint;
import dev.jaye.models.processor.ImageProcessor;
import dev.jaye.models.processor.Processor;
import dev.jaye.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** One answer from a model: image + question in, response out (with --json, everything needed to cross-check it). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Answer a question about an image with a model folder. Temperature 0 is greedy.")
final class GenerateCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DeviceOption device;

    @Option(names = "--checkpoint", paramLabel = "DIR", required = true, description = "Model folder (jaye init or a trainer's checkpoint).")
    Path checkpoint;

    @Option(names = "--image", paramLabel = "FILE", required = true, description = "Image file (PNG, JPEG, ...); resized to the model's size.")
    Path image;

    @Option(names = "--prompt", paramLabel = "TEXT", required = true, description = "The question.")
    String prompt;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0", description = "Sampling temperature; 0 = greedy.")
    double temperature;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "Nucleus sampling mass; 1.0 = off.")
    double topP;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Keep the k most likely tokens; 0 = off.")
    int topK;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "" + dev.jaye.eval.GenerationSetting.DEFAULT_MAX_TOKENS,
            description = "Longest response, <eos> included (the same default as jaye eval and the trainers).")
    int maxTokens;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0", description = "Sampling seed.")
    long seed;

    @Option(names = "--json", description = "Print prompt ids, response ids, text and per-token log-probs as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(temperature >= 0 && Double.isFinite(temperature))) throw new IllegalArgumentException("--temperature must be >= 0, got " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("--top-p must be in (0, 1], got " + topP);
        if (topK < 0) throw new IllegalArgumentException("--top-k must be >= 0 (0 = off), got " + topK);
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be >= 1, got " + maxTokens);
        Checkpoint.Loaded c = Checkpoint.load(checkpoint);
        var cfg = c.model().config;
        Processor processor = new Processor(c.tokenizer(), new ImageProcessor(cfg.vision().imageSize()), cfg.imageTokens());
        Tensor pixels = processor.images().load(image);
        Generator.Settings s = (temperature == 0 ? Generator.Settings.greedy(maxTokens)
                : Generator.Settings.sampling(temperature, topP, maxTokens, seed)).withTopK(topK).withSeed(seed);
        Generator.Response r = new Generator(c.model(), processor).generate(List.of(pixels), List.of(prompt), s).get(0);
        if (!json) {
            System.out.println(r.text());
            // stderr, so that stdout stays the answer alone for scripts; --json says it as "finished": false
            if (!r.finished()) System.err.println("(cut: the answer reached --max-tokens " + maxTokens + " before <eos>)");
            return 0;
        }
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        var promptIds = o.putArray("prompt_ids");
        for (int id : processor.promptIds(prompt)) promptIds.add(id);
        var ids = o.putArray("response_ids");
        for (int id : r.ids()) ids.add(id);
        o.put("text", r.text());
        var lp = o.putArray("logprobs");
        for (float v : r.logProbs()) lp.add(v);
        o.put("finished", r.finished());
        System.out.println(m.writeValueAsString(o));
        return 0;
    }
}
