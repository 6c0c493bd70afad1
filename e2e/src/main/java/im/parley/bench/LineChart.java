package im.parley.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** Lines of (x, y) points as a PNG, drawn with Java2D like {@link BarChart}: histograms, rates over time. */
public final class LineChart {

    private static final Color[] SERIES = {new Color(0x2e86de), new Color(0xe67e22), new Color(0x7f8c8d), new Color(0x27ae60)};

    private LineChart() {
    }

    public static void write(Path file, String title, String xLabel, String yLabel, Map<String, List<double[]>> series)
            throws IOException {
        int width = 900;
        int height = 520;
        int left = 80;
        int right = width - 30;
        int top = 70;
        int bottom = height - 70;
        double maxX = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
        double maxY = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).max().orElse(1) * 1.1;
        maxX = maxX <= 0 ? 1 : maxX;
        maxY = maxY <= 0 ? 1 : maxY;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 40, 36);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int y = bottom - (bottom - top) * i / 5;
            int x = left + (right - left) * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", maxY * i / 5), 20, y + 4);
            g.drawString(String.format(Locale.ROOT, "%.1f", maxX * i / 5), x - 10, bottom + 18);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        g.drawString(yLabel, 10, top - 12);
        g.drawString(xLabel, (left + right) / 2 - 40, bottom + 40);
        g.setStroke(new BasicStroke(2));
        int si = 0;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            g.setColor(SERIES[si % SERIES.length]);
            int px = -1;
            int py = -1;
            for (double[] point : s.getValue()) {
                int x = left + (int) ((right - left) * point[0] / maxX);
                int y = bottom - (int) ((bottom - top) * point[1] / maxY);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(right - 250, 50 + si * 20, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(s.getKey(), right - 230, 62 + si * 20);
            si++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
