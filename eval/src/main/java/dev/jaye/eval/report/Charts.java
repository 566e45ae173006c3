// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Draws one figure in the paper's style: white background, light grid, each curve the mean over
 * seeds with a shaded band of ±1 standard deviation, reference levels dashed. JFreeChart does the
 * drawing; this class only chooses what the figure says and how plainly.
 */
public final class Charts {
    static {
        // Before any AWT class loads: a report is made on servers and in CI, where there is no screen.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    public static final int WIDTH = 720, HEIGHT = 440;
    /** A colour-blind-safe palette (Okabe–Ito): blue, vermillion, green, purple. */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7)};
    private static final Color REFERENCE = new Color(0x555555), GRID = new Color(0xE0E0E0);
    /** Markers on curves this short, where a line alone could hide that there are only a few evaluations. */
    private static final int MARK_BELOW = 25;

    /**
     * A curve: the aggregated points of one arm or metric. {@code reference} draws it dashed and
     * grey without a band, for a level to compare against (the vanilla model).
     */
    public record Curve(String name, List<SeedStats.Point> points, boolean reference) {}

    /** A figure: its curves against one x axis. {@code integerX} for steps, which are whole numbers. */
    public record Figure(String title, String xLabel, String yLabel, List<Curve> curves, boolean integerX) {}

    /** The figure as PNG bytes. */
    public static byte[] png(Figure f) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Curve c : f.curves()) {
            YIntervalSeries s = new YIntervalSeries(c.name());
            for (SeedStats.Point p : c.points()) {
                // One seed has no spread to show: a band of width zero rather than a made-up one.
                double half = Double.isNaN(p.std()) ? 0 : p.std();
                s.add(p.x(), p.mean(), p.mean() - half, p.mean() + half);
            }
            data.addSeries(s);
        }
        DeviationRenderer r = new DeviationRenderer(true, false);
        r.setAlpha(0.18f);
        int colour = 0;
        for (int i = 0; i < f.curves().size(); i++) {
            Curve c = f.curves().get(i);
            Color paint = c.reference() ? REFERENCE : PALETTE[colour++ % PALETTE.length];
            r.setSeriesPaint(i, paint);
            r.setSeriesFillPaint(i, paint);
            r.setSeriesStroke(i, c.reference()
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f)
                    : new BasicStroke(2f));
            boolean mark = !c.reference() && c.points().size() < MARK_BELOW;
            r.setSeriesShapesVisible(i, mark);
            r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }

        NumberAxis x = new NumberAxis(f.xLabel()), y = new NumberAxis(f.yLabel());
        x.setAutoRangeIncludesZero(false);
        y.setAutoRangeIncludesZero(false);
        if (f.integerX()) x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);

        JFreeChart chart = new JFreeChart(f.title(), new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(BlockBorder.NONE);
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart \"" + f.title() + "\" as PNG", e); // in memory: cannot happen
        }
    }
}
