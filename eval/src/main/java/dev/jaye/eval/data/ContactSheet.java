// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

import dev.jaye.models.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid of samples for a person to look at: each image upscaled 3x (nearest neighbour, so the
 * pixels the model sees stay visible), with its family, question and answer under it. Text here
 * is for people, so it uses a system font with antialiasing; the dataset's images never do.
 */
public final class ContactSheet {
    private ContactSheet() {}

    public static final int COLUMNS = 4, ZOOM = 3, PAD = 8, TEXT_LINES = 7, LINE_H = 14;
    public static final int CELL_W = 64 * ZOOM + 2 * PAD, CELL_H = 64 * ZOOM + 2 * PAD + TEXT_LINES * LINE_H;

    /** The sheet's size for n samples. */
    public static Dimension size(int n) {
        if (n <= 0) throw new IllegalArgumentException("nothing to show");
        int cols = Math.min(n, COLUMNS), rows = (n + cols - 1) / cols;
        return new Dimension(cols * CELL_W, rows * CELL_H);
    }

    public static BufferedImage render(List<Sample> samples) throws IOException {
        Dimension d = size(samples.size());
        int cols = Math.min(samples.size(), COLUMNS);
        BufferedImage sheet = new BufferedImage(d.width, d.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(new Color(0xEEEEEE));
        g.fillRect(0, 0, d.width, d.height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 11), bold = plain.deriveFont(Font.BOLD);
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            int x0 = (i % cols) * CELL_W, y0 = (i / cols) * CELL_H;
            g.setClip(x0, y0, CELL_W - PAD / 2, CELL_H);           // a long word or id must not run into the next cell
            BufferedImage img = ImageIO.read(s.image().toFile());
            if (img == null) throw new IOException("image " + s.image() + " cannot be read");
            int side = 64 * ZOOM;
            g.drawImage(img, x0 + PAD, y0 + PAD, side, side, null);
            g.setColor(Color.GRAY);
            g.drawRect(x0 + PAD - 1, y0 + PAD - 1, side + 1, side + 1);
            List<String> lines = new ArrayList<>();
            g.setFont(plain);
            FontMetrics fm = g.getFontMetrics();
            lines.add(s.id());
            lines.add(s.family() == null ? "(no family)" : s.family());
            lines.addAll(wrap(s.question(), fm, side));
            String answer = "answer: " + s.answer();
            while (lines.size() > TEXT_LINES - 1) lines.remove(lines.size() - 1);
            lines.add(answer);
            int y = y0 + PAD + side + PAD + LINE_H - 3;
            for (int l = 0; l < lines.size(); l++) {
                boolean last = l == lines.size() - 1;
                g.setFont(last || l == 1 ? bold : plain);
                g.setColor(l == 0 ? Color.GRAY : last ? new Color(0x1E46DC) : Color.BLACK);
                g.drawString(lines.get(l), x0 + PAD, y + l * LINE_H);
            }
        }
        g.dispose();
        return sheet;
    }

    public static void write(Path png, List<Sample> samples) throws IOException {
        BufferedImage sheet = render(samples);
        AtomicFiles.write(png, o -> ImageIO.write(sheet, "png", o));
    }

    /** Greedy word wrap to a pixel width. */
    static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            String tryLine = line.isEmpty() ? word : line + " " + word;
            if (fm.stringWidth(tryLine) <= width || line.isEmpty()) {
                line.setLength(0);
                line.append(tryLine);
            } else {
                out.add(line.toString());
                line.setLength(0);
                line.append(word);
            }
        }
        if (!line.isEmpty()) out.add(line.toString());
        return out;
    }
}
