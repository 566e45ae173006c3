// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/cli.md is what the commands' --help says today: a changed option without a regenerated page fails here. */
class CliReferenceTest {
    @Test
    void docsCliMdIsTheCommandsHelp() throws Exception {
        Path page = Path.of("..", "docs", "cli.md");
        assertTrue(Files.exists(page), "docs/cli.md is missing: run ./jaye cli-reference --out docs/cli.md");
        String want = CliReferenceCommand.markdown();
        assertEquals(want, Files.readString(page),
                "docs/cli.md is out of date: run ./jaye cli-reference --out docs/cli.md");
        for (String cmd : new String[]{"## jaye eval", "## jaye bench rlstep", "## jaye data generate", "## jaye quickstart"})
            assertTrue(want.contains("\n" + cmd + "\n"), cmd);
        assertTrue(!want.contains("## jaye cli-reference"), "the hidden command is not on the page");
    }
}
