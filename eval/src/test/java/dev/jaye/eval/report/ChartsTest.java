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

    /** Pixels of the first curve's colour (Okabe-Ito blue) in the plot's rows (not the legend's), columns x0 to x1 of the width. */
    private static int blueBetween(BufferedImage img, double x0, double x1) {
        int n = 0;
        for (int y = 30; y < img.getHeight() - 70; y++)
            for (int x = (int) (x0 * img.getWidth()); x < x1 * img.getWidth(); x++) {
                int rgb = img.getRGB(x, y), r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
                if (r < 100 && b > 120 && b > g + 20) n++;               // blue, antialiased edges included
            }
        return n;
    }

    private static BufferedImage evals(boolean bars, double se) throws Exception {
        List<SeedStats.Point> p = List.of(new SeedStats.Point(1, 0.5, se, 1), new SeedStats.Point(2, 0.6, se, 1));
        byte[] png = Charts.png(new Charts.Figure("t", "epoch", "accuracy", List.of(new Charts.Curve("RL", p, false, bars)), false));
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void evaluationsArePointsWithErrorBarsAndNothingBetweenThem() throws Exception {
        // epochs 1 and 2 sit at about 0.1 and 0.95 of the width; the middle third holds a line, or nothing
        assertTrue(blueBetween(evals(false, Double.NaN), 0.35, 0.65) > 50, "a line joins the points of a curve");
        assertEquals(0, blueBetween(evals(true, 0.02), 0.35, 0.65), "no line between evaluations");
        int bare = blueBetween(evals(true, 0), 0, 1), barred = blueBetween(evals(true, 0.03), 0, 1);
        assertTrue(barred > bare + 40, "the ±SE bars are drawn: " + bare + " -> " + barred);
    }

    @Test
    void ticksComeInStepsOfOneTwoOrFive() {
        assertEquals(0.02, Charts.niceStep(0.0167), 1e-12);
        assertEquals(0.25, Charts.niceStep(0.24), 1e-12);
        assertEquals(1.0, Charts.niceStep(1.0), 1e-12);
        assertEquals(50.0, Charts.niceStep(31), 1e-12);
    }
}
