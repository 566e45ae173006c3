// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.processor;

import dev.jaye.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Images to pixel tensors (step I of the method, the image half): resize to the model's square
 * size, scale to [0, 1], then (x − 0.5) / 0.5 per channel, as docs/model.md fixes it. The
 * output is channel-first [3, H, W], the layout the patch embedding reads.
 */
public final class ImageProcessor {
    private final int size;

    public ImageProcessor(int size) {
        if (size <= 0) throw new IllegalArgumentException("image size must be > 0, got " + size);
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** Reads an image file (PNG, JPEG, GIF, BMP); an unreadable or missing file names itself. */
    public Tensor load(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IOException("image " + file + " is a folder, not an image file (PNG or JPEG)");
        if (!Files.isRegularFile(file)) throw new IOException("image " + file + " does not exist");
        BufferedImage img;
        try {
            checkSize(file);
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("image " + file)) throw e;
            throw new IOException("image " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (img == null) throw new IOException("image " + file + " is not in a format Java can read (PNG, JPEG, GIF, BMP)");
        return process(img);
    }

    /** The largest side an image may have: a small file can declare a huge image (20000x20000 is 1.6 GB decoded). */
    public static final int MAX_SIDE = 8192;

    /** Reads the width and height from the file's header, before any pixel is decoded. */
    private static void checkSize(Path file) throws IOException {
        try (var in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) return;
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return;                     // ImageIO.read says it is not a format it reads
            var r = readers.next();
            try {
                r.setInput(in, true, true);
                int w = r.getWidth(0), h = r.getHeight(0);
                if (w > MAX_SIDE || h > MAX_SIDE)
                    throw new IOException("image " + file + " is " + w + "x" + h + " pixels; jaye reads images up to " + MAX_SIDE
                            + " pixels a side (the model sees them resized to a few dozen)");
            } finally {
                r.dispose();
            }
        }
    }

    /** Resizes (bilinear; exact copy when the size already fits) and normalises an in-memory image. */
    public Tensor process(BufferedImage img) {
        BufferedImage rgb = img;
        if (img.getWidth() != size || img.getHeight() != size || img.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, size, size, null);
            g.dispose();
        }
        float[] px = new float[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                int p = rgb.getRGB(x, y), at = y * size + x;
                px[at] = norm((p >> 16) & 0xFF);              // R
                px[plane + at] = norm((p >> 8) & 0xFF);       // G
                px[2 * plane + at] = norm(p & 0xFF);          // B
            }
        return Tensor.wrap(px, 3, size, size);
    }

    /** [0, 255] → [0, 1] → [−1, 1]. */
    private static float norm(int v) {
        return (v / 255f - 0.5f) / 0.5f;
    }
}
