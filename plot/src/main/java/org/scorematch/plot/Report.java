package org.scorematch.plot;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scorematch.model.TrainedModel;

/**
 * One self-contained HTML file: the model card (architecture, objective, data, standardisation,
 * training facts), the evaluation table and the figures as embedded PNG images. A few lines of
 * script mark on {@code <body data-figures-loaded>} how many figures decoded, which the browser
 * test reads.
 */
public final class Report {
    /** A figure with its caption. */
    public record Entry(String caption, Figure figure) {
    }

    private Report() {
    }

    /** One self-contained HTML page: the model card, the evaluation table and each figure inlined as SVG. */
    public static String html(String title, TrainedModel m, Map<String, Object> evaluation, List<Entry> figures) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;"
                        + "text-align:left}th{background:#f3f3f3}figure{margin:1.5em 0}img{max-width:100%;"
                        + "border:1px solid #ddd}figcaption{color:#555}</style></head>\n<body>\n");
        h.append("<h1>").append(escape(title)).append("</h1>\n<h2>Model card</h2>\n<table>\n");
        var arch = m.model().architecture();
        row(h, "kind", arch.kind().id() + (arch.isConditional() ? " (noise-conditional)" : ""));
        row(h, "architecture", arch.toString());
        row(h, "columns", String.join(", ", m.columns()));
        StringBuilder st = new StringBuilder();
        double[] mean = m.standardization().mean();
        double[] scale = m.standardization().scale();
        for (int c = 0; c < mean.length; c++) {
            st.append(c == 0 ? "" : "; ").append(m.columns().get(c)).append(String.format(Locale.ROOT, ": mean %.4g, sd %.4g",
                    mean[c], scale[c]));
        }
        row(h, "standardisation", st.toString());
        m.info().forEach((k, v) -> row(h, k.replace('_', ' '), v));
        h.append("</table>\n<h2>Evaluation on the test data</h2>\n<table>\n<tr><th>metric</th><th>value</th></tr>\n");
        evaluation.forEach((k, v) -> row(h, k.replace('_', ' '), v instanceof Double d
                ? String.format(Locale.ROOT, "%.5g", d) : String.valueOf(v)));
        h.append("</table>\n<p>Log-likelihoods are mean nats per test point in the data's units (higher is better); "
                + "losses are in standardised units (lower is better); small p-values mean the model and the data "
                + "differ detectably.</p>\n<h2>Figures</h2>\n");
        for (Entry e : figures) {
            String png = Base64.getEncoder().encodeToString(FigureFiles.png(e.figure(), 900, 680));
            h.append("<figure><img class=\"figure\" alt=\"").append(escape(e.caption()))
                    .append("\" src=\"data:image/png;base64,").append(png).append("\"><figcaption>")
                    .append(escape(e.caption())).append("</figcaption></figure>\n");
        }
        h.append("<script>window.addEventListener('load',function(){var n=0;"
                + "document.querySelectorAll('img.figure').forEach(function(i){if(i.complete&&i.naturalWidth>0){n++;}});"
                + "document.body.setAttribute('data-figures-loaded',String(n));"
                + "document.body.setAttribute('data-figures',String(document.querySelectorAll('img.figure').length));});"
                + "</script>\n</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><td>").append(escape(k)).append("</td><td>").append(escape(v)).append("</td></tr>\n");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
