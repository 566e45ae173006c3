// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README and docs/ stand alone: every relative link and image they hold resolves to a file in
 * the repository, and nothing points to the team's ../shared folder, which a clone does not have.
 */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkResolvesAndNothingPointsOutside() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        assertTrue(pages.size() >= 8, "pages: " + pages);
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            String text = Files.readString(page);
            if (text.contains("../shared")) broken.add(root.relativize(page) + " points to ../shared");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*") || target.startsWith("#")) continue;    // a web address or an anchor
                Path file = page.getParent().resolve(target.replaceFirst("#.*", "")).normalize();
                if (!file.startsWith(root) || !Files.exists(file))
                    broken.add(root.relativize(page) + ": link (" + target + ") does not resolve");
            }
        }
        assertEquals(List.of(), broken);
    }
}
