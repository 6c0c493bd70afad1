package im.parley.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** A grouped bar chart as a PNG, drawn with Java2D so the benchmarks need no plotting library. */
final class BarChart {

    private static final Color[] SERIES = {new Color(0x7f8c8d), new Color(0x2e86de), new Color(0xe67e22)};

    private BarChart() {
    }

    /** groups: group label to (series label to value). */
    static void write(Path file, String title, String unit, Map<String, LinkedHashMap<String, Double>> groups)
            throws IOException {
        int width = 900;
        int height = 520;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 40, 36);
        double max = groups.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue)
                .max().orElse(1) * 1.15;
        int left = 80;
        int bottom = height - 70;
        int top = 70;
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, width - 30, bottom);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            double v = max * i / 5;
            int y = bottom - (int) ((bottom - top) * i / 5.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, width - 30, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", v), 30, y + 4);
        }
        g.drawString(unit, 10, top - 10);
        int groupWidth = (width - left - 60) / Math.max(1, groups.size());
        int gi = 0;
        List<String> seriesNames = groups.values().iterator().next().keySet().stream().toList();
        for (Map.Entry<String, LinkedHashMap<String, Double>> group : groups.entrySet()) {
            int x0 = left + 20 + gi * groupWidth;
            int barWidth = (groupWidth - 40) / group.getValue().size();
            int si = 0;
            for (Map.Entry<String, Double> bar : group.getValue().entrySet()) {
                int h = (int) ((bottom - top) * bar.getValue() / max);
                g.setColor(SERIES[si % SERIES.length]);
                g.fillRect(x0 + si * barWidth, bottom - h, barWidth - 8, h);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.2f", bar.getValue()), x0 + si * barWidth + 4, bottom - h - 6);
                si++;
            }
            g.drawString(group.getKey(), x0, bottom + 20);
            gi++;
        }
        for (int i = 0; i < seriesNames.size(); i++) {
            g.setColor(SERIES[i % SERIES.length]);
            g.fillRect(width - 260, 50 + i * 20, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(seriesNames.get(i), width - 240, 62 + i * 20);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
