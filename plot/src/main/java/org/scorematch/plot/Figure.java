package org.scorematch.plot;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.JFreeChart;

/** Something drawable into a rectangle: one chart, or a grid of charts (pair plots). */
public interface Figure {
    void draw(Graphics2D g, Rectangle2D area);

    /** The charts drawn, for tests that inspect axes and datasets. */
    List<JFreeChart> charts();

    static Figure of(JFreeChart chart) {
        return new Figure() {
            @Override
            public void draw(Graphics2D g, Rectangle2D area) {
                chart.draw(g, area);
            }

            @Override
            public List<JFreeChart> charts() {
                return List.of(chart);
            }
        };
    }

    /** Charts in a grid of {@code columns} columns, row by row, with a title band on top. */
    static Figure grid(List<JFreeChart> charts, int columns, String title) {
        return new Figure() {
            @Override
            public void draw(Graphics2D g, Rectangle2D area) {
                int band = 30;
                g.setPaint(java.awt.Color.WHITE);
                g.fill(area);
                g.setPaint(java.awt.Color.BLACK);
                g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 16));
                g.drawString(title, (float) area.getX() + 10, (float) area.getY() + 21);
                int rows = (charts.size() + columns - 1) / columns;
                double w = area.getWidth() / columns;
                double h = (area.getHeight() - band) / rows;
                for (int i = 0; i < charts.size(); i++) {
                    charts.get(i).draw(g, new Rectangle2D.Double(area.getX() + (i % columns) * w,
                            area.getY() + band + (i / columns) * h, w, h));
                }
            }

            @Override
            public List<JFreeChart> charts() {
                return charts;
            }
        };
    }
}
