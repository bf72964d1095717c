package org.scorematch.plot;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.SVGGraphics2D;
import org.scorematch.ScorematchException;
import org.scorematch.io.AtomicFiles;
import org.w3c.dom.Document;

/** Renders figures headlessly to PNG (AWT) or SVG (Apache Batik), and writes them atomically. */
public final class FigureFiles {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private FigureFiles() {
    }

    /** Writes {@code figure} to {@code path}, PNG or SVG by its extension. */
    public static void write(Figure figure, Path path, int width, int height) {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        byte[] bytes;
        if (name.endsWith(".png")) {
            bytes = png(figure, width, height);
        } else if (name.endsWith(".svg")) {
            bytes = svg(figure, width, height).getBytes(StandardCharsets.UTF_8);
        } else {
            throw new ScorematchException(path + ": figures are written as .png or .svg");
        }
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /** A rendered image (for pixel checks). */
    public static BufferedImage image(Figure figure, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setPaint(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        figure.draw(g, new Rectangle2D.Double(0, 0, width, height));
        g.dispose();
        return img;
    }

    /** The figure drawn at {@code width × height} pixels, as PNG bytes. */
    public static byte[] png(Figure figure, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image(figure, width, height), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The figure drawn on a {@code width × height} canvas, as an SVG document. */
    public static String svg(Figure figure, int width, int height) {
        Document doc = GenericDOMImplementation.getDOMImplementation().createDocument("http://www.w3.org/2000/svg", "svg",
                null);
        SVGGraphics2D g = new SVGGraphics2D(doc);
        g.setSVGCanvasSize(new java.awt.Dimension(width, height));
        figure.draw(g, new Rectangle2D.Double(0, 0, width, height));
        StringWriter w = new StringWriter();
        try {
            g.stream(w, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

}
