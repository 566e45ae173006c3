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

    @Option(names = "--checkpoint", required = true, description = "Model folder (jaye init or a trainer's checkpoint).")
    Path checkpoint;

    @Option(names = "--image", required = true, description = "Image file (PNG, JPEG, ...); resized to the model's size.")
    Path image;

    @Option(names = "--prompt", required = true, description = "The question.")
    String prompt;

    @Option(names = "--temperature", defaultValue = "0", description = "Sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}, off).")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely tokens (default: ${DEFAULT-VALUE}, off).")
    int topK;

    @Option(names = "--max-tokens", defaultValue = "64", description = "Longest response (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print prompt ids, response ids, text and per-token log-probs as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Checkpoint.Loaded c = Checkpoint.load(checkpoint);
        var cfg = c.model().config;
        Processor processor = new Processor(c.tokenizer(), new ImageProcessor(cfg.vision().imageSize()), cfg.imageTokens());
        Tensor pixels = processor.images().load(image);
        Generator.Settings s = (temperature == 0 ? Generator.Settings.greedy(maxTokens)
                : Generator.Settings.sampling(temperature, topP, maxTokens, seed)).withTopK(topK).withSeed(seed);
        Generator.Response r = new Generator(c.model(), processor).generate(List.of(pixels), List.of(prompt), s).get(0);
        if (!json) {
            System.out.println(r.text());
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
