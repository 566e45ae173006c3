// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.processor;

import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageProcessorTest {
    @TempDir
    Path dir;

    @Test
    void pngIsReadChannelFirstAndNormalised() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);          // red at (x=0, y=0)
        img.setRGB(3, 1, 0x00FF80);          // green + half blue at (x=3, y=1)
        Path f = dir.resolve("a.png");
        ImageIO.write(img, "png", f.toFile());
        Tensor t = new ImageProcessor(4).load(f);
        assertArrayEquals(new int[]{3, 4, 4}, t.shape());
        assertEquals(1f, t.get(0, 0, 0));    // R of red: 255 → 1
        assertEquals(-1f, t.get(1, 0, 0));   // G of red: 0 → -1
        assertEquals(1f, t.get(1, 1, 3));
        assertEquals((128 / 255f - 0.5f) / 0.5f, t.get(2, 1, 3), 1e-6f);
        assertEquals(-1f, t.get(0, 3, 3));   // black elsewhere
    }

    @Test
    void otherSizesAreResized() {
        BufferedImage img = new BufferedImage(128, 96, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 96; y++) for (int x = 0; x < 128; x++) img.setRGB(x, y, 0xFF336699);
        Tensor t = new ImageProcessor(64).process(img);
        assertArrayEquals(new int[]{3, 64, 64}, t.shape());
        assertEquals((0x33 / 255f - 0.5f) / 0.5f, t.get(0, 10, 10), 1e-6f);   // a flat colour stays that colour
    }

    @Test
    void missingOrBrokenFilesNameThemselves() throws IOException {
        Path missing = dir.resolve("nope.png"), broken = dir.resolve("broken.png");
        Files.writeString(broken, "not an image");
        IOException e1 = assertThrows(IOException.class, () -> new ImageProcessor(8).load(missing));
        assertTrue(e1.getMessage().contains(missing.toString()), e1.getMessage());
        IOException e2 = assertThrows(IOException.class, () -> new ImageProcessor(8).load(broken));
        assertTrue(e2.getMessage().contains(broken.toString()), e2.getMessage());
    }
}
