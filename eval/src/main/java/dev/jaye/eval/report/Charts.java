// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
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
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

/**
 * Draws one figure in the paper's style: white background, light grid, each curve the mean over
 * seeds with a shaded band of ±1 standard deviation, reference levels dashed; evaluations as
 * points with ±1 standard error bars and no line between them. JFreeChart does the
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
     * grey without a band, for a level to compare against (the vanilla model). {@code bars}
     * draws only the points, each with a bar of ±{@code std} (an evaluation: a point where there
     * was one, and nothing between, since nothing was measured there).
     */
    public record Curve(String name, List<SeedStats.Point> points, boolean reference, boolean bars) {
        public Curve(String name, List<SeedStats.Point> points, boolean reference) {
            this(name, points, reference, false);
        }
    }

    /** A figure: its curves against one x axis. {@code integerX} for steps, which are whole numbers. */
    public record Figure(String title, String xLabel, String yLabel, List<Curve> curves, boolean integerX) {}

    /** Epoch ticks: quarters at the finest, never 0.05 (a tick per evaluation at most, in practice). */
    static final org.jfree.chart.axis.TickUnitSource EPOCH_TICKS = epochTicks();

    private static org.jfree.chart.axis.TickUnitSource epochTicks() {
        org.jfree.chart.axis.TickUnits u = new org.jfree.chart.axis.TickUnits();
        java.text.NumberFormat fmt = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        for (double t : new double[]{0.25, 0.5, 1, 2, 5, 10, 20, 50, 100}) u.add(new org.jfree.chart.axis.NumberTickUnit(t, fmt));
        return u;
    }

    /** The smallest of 1, 2, 2.5 or 5 times a power of ten at or above {@code raw}: a tick step a reader can count in. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) if (m * p >= raw - 1e-12 * p) return m * p;
        return 10 * p;
    }

    /** {min, max} of the figure's y values (with their bars) or x values. */
    private static double[] range(Figure f, boolean yAxis) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Curve c : f.curves())
            for (SeedStats.Point p : c.points()) {
                double half = yAxis && !Double.isNaN(p.std()) ? p.std() : 0, v = yAxis ? p.mean() : p.x();
                if (Double.isNaN(v)) continue;
                lo = Math.min(lo, v - half);
                hi = Math.max(hi, v + half);
            }
        return lo <= hi ? new double[]{lo, hi} : new double[]{0, 0};
    }

    /** A figure of a share in [0, 1]: accuracy and ratios. */
    static boolean isShare(Figure f) {
        String y = f.yLabel().toLowerCase(Locale.ROOT);
        return y.contains("accuracy") || y.contains("ratio");
    }

    /** The figure as PNG bytes. */
    public static byte[] png(Figure f) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection(), barData = new YIntervalSeriesCollection();
        XYErrorRenderer bars = new XYErrorRenderer();          // points with error bars, no lines
        bars.setDefaultLinesVisible(false);
        bars.setDefaultShapesVisible(true);
        bars.setDrawXError(false);
        bars.setCapLength(6);
        bars.setErrorStroke(new BasicStroke(1.2f));
        int colour = 0;
        for (Curve c : f.curves()) {
            if (!c.bars()) continue;
            YIntervalSeries s = new YIntervalSeries(c.name());
            for (SeedStats.Point p : c.points()) {
                double half = Double.isNaN(p.std()) ? 0 : p.std();
                s.add(p.x(), p.mean(), p.mean() - half, p.mean() + half);
            }
            Color paint = PALETTE[colour++ % PALETTE.length];
            bars.setSeriesPaint(barData.getSeriesCount(), paint);
            bars.setSeriesShape(barData.getSeriesCount(), new Ellipse2D.Double(-4, -4, 8, 8));
            barData.addSeries(s);
        }
        List<Curve> lines = f.curves().stream().filter(c -> !c.bars()).toList();
        for (Curve c : lines) {
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
        for (int i = 0; i < lines.size(); i++) {
            Curve c = lines.get(i);
            Color paint = c.reference() ? REFERENCE : PALETTE[colour++ % PALETTE.length];
            r.setSeriesPaint(i, paint);
            r.setSeriesFillPaint(i, paint);
            r.setSeriesStroke(i, c.reference()
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f)
                    : new BasicStroke(2f));
            boolean mark = !c.reference() && (c.points().size() < MARK_BELOW);   // a single point shows as a dot
            r.setSeriesShapesVisible(i, mark);
            r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }

        NumberAxis x = new NumberAxis(f.xLabel()), y = new NumberAxis(f.yLabel());
        x.setAutoRangeIncludesZero(false);
        y.setAutoRangeIncludesZero(false);
        // Plain tick labels (0.66, not 6.6E-1), and no axis narrower than a reader can judge: a span of
        // 0.1 for a share (accuracy, ratios), so that a wobble of two points does not fill the chart.
        y.setNumberFormatOverride(new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        x.setNumberFormatOverride(new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        if (isShare(f)) y.setAutoRangeMinimumSize(0.1);
        y.setAutoRangeMinimumSize(Math.max(y.getAutoRangeMinimumSize(), 1e-6));
        x.setAutoRangeMinimumSize(f.integerX() ? 2 : 0.5);
        x.setUpperMargin(0.06);                                // room for the last label
        x.setLowerMargin(0.04);
        if (f.integerX()) x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        else x.setStandardTickUnits(EPOCH_TICKS);
        double[] yr = range(f, true), xr = range(f, false);
        double ySpan = Math.max(yr[1] - yr[0], isShare(f) ? 0.1 : 0);
        if (ySpan > 0) y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(niceStep(ySpan / 6), y.getNumberFormatOverride()));
        if (!f.integerX() && xr[1] - xr[0] > 0)
            x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(Math.max(0.25, niceStep((xr[1] - xr[0]) / 8)), x.getNumberFormatOverride()));
        XYPlot plot = new XYPlot(data, x, y, r);
        if (barData.getSeriesCount() > 0) {
            plot.setDataset(1, barData);
            plot.setRenderer(1, bars);
        }
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
