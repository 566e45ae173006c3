// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Trainer configs: a YAML file, then {@code --set key.path=value} overrides, then a typed record.
 * Keys are snake_case in YAML ({@code forward_batch_size}) and camelCase in Java. An unknown key,
 * a missing one or a value of the wrong type is an error naming the key. A file may start from another
 * ({@code base: rl-nano.yaml}) and say only what differs. The resolved config is
 * written next to a run's outputs with {@link #toYaml}, so a run can be repeated exactly.
 */
public final class Configs {
    private Configs() {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            // strict numbers and keys: 32.9 for an integer key is a mistake, not 32; a key given twice is one of
            // them lost (YAML's "last wins" would change a recipe without a word)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());

    /**
     * Keys a config type gained after run folders had been written with it, each with the value
     * those runs meant (YAML, e.g. {@code "{train: {keep_best: false}}"}). They go under every file
     * read, so a run folder's config.yaml from before a key existed still resumes; every other key
     * must be in the file.
     */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    public @interface AddedLater {
        String value();
    }

    /** Reads {@code file}, applies {@code overrides} ("a.b=value"), and binds the result to {@code type}. */
    public static <T> T load(Path file, List<String> overrides, Class<T> type) throws IOException {
        ObjectNode tree = read(file);
        AddedLater later = type.getAnnotation(AddedLater.class);
        if (later != null) {
            ObjectNode under = (ObjectNode) YAML.readTree(later.value());
            merge(under, tree);
            tree = under;
        }
        for (String o : overrides) apply(tree, o, file);
        try {
            // A lenient pass first, so that a misspelt key is reported as unknown rather than as
            // the correctly spelt key being missing; then the strict pass.
            YAML.readerFor(type).without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).readValue(tree);
            return YAML.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw new IOException("config " + file + ": unknown key '" + path(e) + "' (known: " + e.getKnownPropertyIds() + ")");
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage().startsWith("Missing creator property"))
                throw new IOException("config " + file + ": missing key '" + path(e) + "'");
            throw new IOException("config " + file + ": bad value for key '" + path(e) + "': "
                    + e.getOriginalMessage().replaceAll(" \\(but could if coercion was enabled[^)]*\\)", ""));
        }
    }

    /** A config file's keys with its {@code base:} resolved, before any override (e.g. to see where a recipe writes). */
    public static ObjectNode read(Path file) throws IOException {
        return tree(file, new java.util.ArrayList<>());
    }

    /**
     * A config file's tree with its {@code base:} resolved: {@code base: rl-nano.yaml} (a path
     * relative to the file's folder) starts from that file's keys, and this file's keys replace
     * them one by one (a section merges key by key, a list or a value replaces). So a recipe that
     * differs from another in three keys says only those; the resolved config a run writes holds
     * every key, with no {@code base}.
     */
    private static ObjectNode tree(Path file, List<Path> chain) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        if (chain.contains(abs)) throw new IOException("config " + file + ": 'base' goes round in a circle (" + chain + ")");
        chain.add(abs);
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IOException("config " + file + " does not exist" + (chain.size() > 1 ? " (the 'base' of " + chain.get(chain.size() - 2) + ")" : ""));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("config " + file + " is not UTF-8 text");
        } catch (JsonProcessingException e) {
            throw new IOException("config " + file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) tree = YAML.createObjectNode();
        if (!tree.isObject()) throw new IOException("config " + file + " must be a mapping of keys to values");
        ObjectNode own = (ObjectNode) tree;
        JsonNode base = own.remove("base");
        if (base == null || base.isNull()) return own;
        if (!base.isTextual()) throw new IOException("config " + file + ": 'base' must be a file name, e.g. base: rl-nano.yaml");
        Path dir = abs.getParent();
        ObjectNode merged = tree(dir.resolve(base.asText()), chain);
        merge(merged, own);
        return merged;
    }

    /** Writes {@code top}'s keys over {@code into}'s: sections merge key by key, anything else replaces. */
    private static void merge(ObjectNode into, ObjectNode top) {
        top.fields().forEachRemaining(e -> {
            JsonNode old = into.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) merge(o, n);
            else into.set(e.getKey(), e.getValue());
        });
    }

    /** One override "a.b.c=value": the value is read as YAML (numbers, booleans, lists) and set at a.b.c. */
    private static void apply(ObjectNode root, String override, Path file) throws IOException {
        int eq = override.indexOf('=');
        if (eq <= 0) throw new IOException("override '" + override + "' is not key=value");
        String key = override.substring(0, eq).strip();
        JsonNode value;
        try {
            value = YAML.readTree(override.substring(eq + 1));
        } catch (JsonProcessingException e) {
            throw new IOException("override '" + override + "': the value is not valid YAML");
        }
        if (value == null || value.isMissingNode()) value = YAML.getNodeFactory().nullNode();
        String[] parts = key.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null) child = node.putObject(parts[i]);
            if (!child.isObject()) throw new IOException("override '" + override + "': '" + parts[i] + "' in " + file + " is not a section");
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /** A config from the YAML {@link #toYaml} wrote (every key, no base): how a config travels to another machine. */
    public static <T> T fromYaml(String yaml, Class<T> type) throws IOException {
        return YAML.readValue(yaml, type);
    }

    /** The config as YAML, snake_case keys: what a run writes next to its outputs. */
    public static String toYaml(Object config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(JsonProcessingException pe) {
        if (!(pe instanceof JsonMappingException e)) return "";
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            else if (ref.getIndex() >= 0) sb.append('[').append(ref.getIndex()).append(']');
        }
        return sb.toString();
    }
}
