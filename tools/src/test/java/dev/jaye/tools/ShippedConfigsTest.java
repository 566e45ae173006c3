// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.rl.config.Configs;
import dev.jaye.rl.loop.RlConfig;
import dev.jaye.rl.sft.SftConfig;
import dev.jaye.tools.experiment.ExperimentConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every recipe in configs/ loads and validates: a renamed key must not silently break one. */
class ShippedConfigsTest {
    @Test
    void everySftRecipeLoads() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("configs");
        List<Path> sft;
        try (var files = Files.list(dir)) {
            sft = files.filter(p -> p.getFileName().toString().startsWith("sft-")).sorted().toList();
        }
        assertTrue(sft.size() >= 3, "recipes found: " + sft);
        for (Path p : sft) Configs.load(p, List.of(), SftConfig.class).validate();
    }

    @Test
    void everyRlRecipeLoads() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("configs");
        List<Path> rl;
        try (var files = Files.list(dir)) {
            rl = files.filter(p -> p.getFileName().toString().startsWith("rl-")).sorted().toList();
        }
        assertTrue(rl.size() >= 2, "recipes found: " + rl);
        for (Path p : rl) Configs.load(p, List.of(), RlConfig.class).validate();
    }

    @Test
    void everyExperimentLoadsAndNamesRecipesThatExist() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<Path> exp;
        try (var files = Files.list(root.resolve("configs"))) {
            exp = files.filter(p -> p.getFileName().toString().startsWith("experiment-")).sorted().toList();
        }
        assertTrue(exp.size() >= 2, "experiments found: " + exp);
        for (Path p : exp) {
            ExperimentConfig c = Configs.load(p, List.of(), ExperimentConfig.class).validate();
            assertTrue(c.rl() == null || Files.isRegularFile(root.resolve(c.rl().config())), p.toString());
            assertTrue(c.sft() == null || Files.isRegularFile(root.resolve(c.sft().config())), p.toString());
        }
    }

    /**
     * The recipes chain with their defaults: the data folder sft-nano reads is the one rl-nano and
     * experiment-nano read, and the model sft-nano writes is the one they start from.
     */
    @Test
    void theNanoRecipesChain() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("configs");
        SftConfig sft = Configs.load(dir.resolve("sft-nano.yaml"), List.of(), SftConfig.class).validate();
        RlConfig rl = Configs.load(dir.resolve("rl-nano.yaml"), List.of(), RlConfig.class).validate();
        ExperimentConfig exp = Configs.load(dir.resolve("experiment-nano.yaml"), List.of(), ExperimentConfig.class).validate();
        SftConfig baseline = Configs.load(dir.resolve("sft-baseline-nano.yaml"), List.of(), SftConfig.class).validate();
        String model = Path.of(sft.out()).resolve("model").toString();
        assertEquals(model, rl.model().init());
        assertEquals(model, exp.init());
        assertEquals(model, baseline.model().init());
        assertEquals(sft.data().dir(), rl.data().dir());
        assertEquals(sft.data().dir(), exp.data().dir());
    }

    /** A recipe run before the one that makes its model says which command makes it, before any work starts. */
    @Test
    void aMissingWarmUpNamesTheCommandThatMakesIt() {
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("configs");
        String sftNano = Path.of("").toAbsolutePath().relativize(dir.resolve("sft-nano.yaml")).toString();
        for (String[] cmd : new String[][]{{"rl", "--config", dir.resolve("rl-nano.yaml").toString()},
                {"experiment", "--config", dir.resolve("experiment-nano.yaml").toString()}}) {
            Cli.Run r = Cli.run(cmd);
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("runs/sft-nano/model") && r.err().contains("make it with ./jaye sft --config " + sftNano), r.err());
        }
    }

    /**
     * The result suites (docs/results.md) start from the generalist warm-up of their size, train on
     * data of their own (not the warm-up's queries), and say in their comments exactly the data
     * command that docs/results.md registered: a split changed after its first run shows here.
     */
    @Test
    void theResultSuitesChainFromTheGeneralistWarmUpsAndMatchTheRegisteredSplits() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent(), dir = root.resolve("configs");
        String registered = Files.readString(root.resolve("docs/results.md"));
        for (String size : new String[]{"nano", "tiny"}) {
            SftConfig warm = Configs.load(dir.resolve("sft-generalist-" + size + ".yaml"), List.of(), SftConfig.class).validate();
            assertEquals(size, warm.model().preset());
            assertTrue(registered.contains(commandIn(dir.resolve("sft-generalist-nano.yaml"))), "the warm-up's data command is registered");
            for (String suite : new String[]{"vision", "text"}) {
                Path file = dir.resolve("experiment-" + suite + "-" + size + ".yaml");
                ExperimentConfig c = Configs.load(file, List.of(), ExperimentConfig.class).validate();
                assertEquals(Path.of(warm.out()).resolve("model").toString(), c.init(), file.toString());
                assertTrue(!c.data().dir().equals(warm.data().dir()), file + ": the suite's queries are not the warm-up's");
                assertEquals(List.of("val", "test", "test_ood"), c.eval().splits());
                assertEquals(List.of("pass@8_t1.0", "pass@1_t0.6_n4", "pass@1_t0.01"), c.eval().settings());
                String nanoFile = dir.resolve("experiment-" + suite + "-nano.yaml").toString();
                String command = commandIn(Path.of(nanoFile));
                assertTrue(command.contains("--out " + c.data().dir() + " "), file + ": its data folder is the one its command makes");
                assertTrue(registered.contains(command), file + ": '" + command + "' is not the command docs/results.md registered");
            }
        }
    }

    /** The {@code ./jaye data generate ...} line in a config's comments. */
    private static String commandIn(Path config) throws IOException {
        return Files.readAllLines(config).stream().map(String::strip).filter(l -> l.startsWith("#   ./jaye data generate"))
                .map(l -> l.substring(4)).findFirst().orElseThrow(() -> new AssertionError(config + " names no data command"));
    }
}
