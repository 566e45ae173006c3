// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import java.awt.image.BufferedImage;
import java.util.ArrayDeque;

/** Reading pictures back in tests: what was actually drawn, independent of the generator's bookkeeping. */
final class Pixels {
    private Pixels() {}

    static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    /** Pixels of exactly this colour inside a box. */
    static int count(BufferedImage img, int rgb, int x0, int y0, int w, int h) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) if (rgb(img, x, y) == rgb) n++;
        return n;
    }

    static int nonBackground(BufferedImage img) {
        return img.getWidth() * img.getHeight() - count(img, Canvas.BACKGROUND, 0, 0, img.getWidth(), img.getHeight());
    }

    /** Connected regions (4-neighbour) of pixels that are not background: the objects a person sees. */
    static int components(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight(), n = 0;
        boolean[] seen = new boolean[w * h];
        ArrayDeque<int[]> q = new ArrayDeque<>();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                if (seen[y * w + x] || rgb(img, x, y) == Canvas.BACKGROUND) continue;
                n++;
                seen[y * w + x] = true;
                q.add(new int[]{x, y});
                while (!q.isEmpty()) {
                    int[] p = q.poll();
                    int[][] nb = {{p[0] + 1, p[1]}, {p[0] - 1, p[1]}, {p[0], p[1] + 1}, {p[0], p[1] - 1}};
                    for (int[] c : nb)
                        if (c[0] >= 0 && c[1] >= 0 && c[0] < w && c[1] < h && !seen[c[1] * w + c[0]] && rgb(img, c[0], c[1]) != Canvas.BACKGROUND) {
                            seen[c[1] * w + c[0]] = true;
                            q.add(c);
                        }
                }
            }
        return n;
    }
}
