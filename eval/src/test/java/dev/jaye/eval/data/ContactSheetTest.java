// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ContactSheetTest {
    @TempDir
    Path dir;

    @Test
    void aSheetIsAPngOfTheExpectedSizeShowingTheImagesUpscaled() throws IOException {
        DatasetWriter.write(dir, DatasetWriter.Config.defaults(DatasetWriterTest.sizes(0, 6, 0, 0), 9), null);
        List<Sample> samples = DatasetReader.load(dir.resolve("val.jsonl")).samples();
        Path png = dir.resolve("sheet.png");
        ContactSheet.write(png, samples);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, head);
        BufferedImage sheet = ImageIO.read(png.toFile());
        Dimension d = ContactSheet.size(6);
        assertEquals(new Dimension(4 * ContactSheet.CELL_W, 2 * ContactSheet.CELL_H), d);
        assertEquals(d.width, sheet.getWidth());
        assertEquals(d.height, sheet.getHeight());
        // The 2nd sample's pixel (10, 20) fills a 3 x 3 block of its cell.
        BufferedImage img = ImageIO.read(samples.get(1).image().toFile());
        int x0 = ContactSheet.CELL_W + ContactSheet.PAD, y0 = ContactSheet.PAD;
        for (int[] p : new int[][]{{10, 20}, {40, 40}, {63, 0}})
            for (int dy = 0; dy < 3; dy++)
                for (int dx = 0; dx < 3; dx++)
                    assertEquals(img.getRGB(p[0], p[1]), sheet.getRGB(x0 + 3 * p[0] + dx, y0 + 3 * p[1] + dy));
        assertNotEquals(ContactSheet.size(1), ContactSheet.size(5));
        assertEquals(new Dimension(ContactSheet.CELL_W, ContactSheet.CELL_H), ContactSheet.size(1));
    }
}
