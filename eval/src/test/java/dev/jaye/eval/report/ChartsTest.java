// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {
    private static BufferedImage draw(double std) throws Exception {
        List<SeedStats.Point> points = new ArrayList<>();
        for (int x = 0; x <= 10; x++) points.add(new SeedStats.Point(x, x % 2 == 0 ? 0.4 : 0.6, std, 3));
        byte[] png = Charts.png(new Charts.Figure("t", "generation step", "y",
                List.of(new Charts.Curve("RL", points, false), new Charts.Curve("ref", List.of(
                        new SeedStats.Point(0, 0.5, Double.NaN, 1), new SeedStats.Point(10, 0.5, Double.NaN, 1)), true)), true));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, "a PNG that ImageIO reads");
        return img;
    }

    private static int tinted(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) n++;
        return n;
    }

    @Test
    void drawsAWhiteFigureOfTheDeclaredSize() throws Exception {
        BufferedImage img = draw(Double.NaN);
        assertEquals(Charts.WIDTH, img.getWidth());
        assertEquals(Charts.HEIGHT, img.getHeight());
        assertEquals(0xFFFFFF, img.getRGB(2, 2) & 0xFFFFFF, "white background");
        assertTrue(tinted(img) > 2000, "axes, labels and lines are drawn: " + tinted(img));
    }

    @Test
    void theStdBandIsShaded() throws Exception {
        // The same curve with a band of ±0.1 covers far more pixels than without one (one seed: no band).
        int without = tinted(draw(Double.NaN)), with = tinted(draw(0.1));
        assertTrue(with > without + 20_000, "band adds shaded area: " + without + " -> " + with);
    }
}
