package io.wsfleet.e2e.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Draws the timeline as an SVG: connections per pod as lines, ready replicas as a step line. */
final class TimelineChart {

  private static final int WIDTH = 960;
  private static final int HEIGHT = 480;
  private static final int LEFT = 60;
  private static final int RIGHT = 60;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final String[] COLOURS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"
  };

  private TimelineChart() {}

  static String svg(List<FleetTimeline.Sample> samples, String title) {
    double maxT = Math.max(1, samples.isEmpty() ? 1 : samples.get(samples.size() - 1).seconds());
    long maxConn = 1;
    int maxReplicas = 1;
    Map<String, List<double[]>> pods = new LinkedHashMap<>();
    for (FleetTimeline.Sample s : samples) {
      maxReplicas = Math.max(maxReplicas, Math.max(s.ready(), s.replicas()));
      for (var e : s.podConnections().entrySet()) {
        if (e.getValue() >= 0) {
          maxConn = Math.max(maxConn, e.getValue());
          pods.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
              .add(new double[] {s.seconds(), e.getValue()});
        }
      }
    }
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    long connScale = niceCeiling(maxConn);
    // A multiple of the four grid steps above the peak, so the right axis reads in whole pods.
    int replicaScale = (maxReplicas / 4 + 1) * 4;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                + "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n",
            WIDTH,
            HEIGHT,
            LEFT,
            escape(title)));
    axes(svg, maxT, connScale, replicaScale, plotW, plotH);
    int colour = 0;
    for (var e : pods.entrySet()) {
      svg.append(
          polyline(
              e.getValue(),
              maxT,
              connScale,
              plotW,
              plotH,
              COLOURS[colour++ % COLOURS.length],
              1.5,
              false));
    }
    List<double[]> ready = new ArrayList<>();
    for (FleetTimeline.Sample s : samples) {
      ready.add(new double[] {s.seconds(), s.ready() * (double) connScale / replicaScale});
    }
    svg.append(polyline(ready, maxT, connScale, plotW, plotH, "black", 2.5, true));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\">thin lines: connections per pod (left axis);"
                + " thick black steps: ready pods (right axis)</text>%n</svg>%n",
            LEFT,
            HEIGHT - 10));
    return svg.toString();
  }

  private static void axes(
      StringBuilder svg,
      double maxT,
      long connScale,
      int replicaScale,
      double plotW,
      double plotH) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>%n",
            LEFT,
            TOP,
            plotW,
            plotH));
    for (int i = 0; i <= 4; i++) {
      double y = TOP + plotH - plotH * i / 4;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>"
                  + "<text x=\"%.0f\" y=\"%.1f\">%d</text>%n",
              LEFT,
              LEFT + plotW,
              y,
              y,
              LEFT - 5,
              y + 4,
              connScale * i / 4,
              LEFT + plotW + 5,
              y + 4,
              replicaScale * i / 4));
    }
    for (int i = 0; i <= 6; i++) {
      double x = LEFT + plotW * i / 6;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.0f s</text>%n",
              x,
              TOP + plotH + 18,
              maxT * i / 6));
    }
  }

  private static String polyline(
      List<double[]> points,
      double maxT,
      long scale,
      double plotW,
      double plotH,
      String colour,
      double width,
      boolean steps) {
    StringBuilder p = new StringBuilder();
    double lastY = -1;
    for (double[] point : points) {
      double x = LEFT + plotW * point[0] / maxT;
      double y = TOP + plotH - plotH * Math.min(point[1], scale) / scale;
      if (steps && lastY >= 0) {
        p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, lastY));
      }
      p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      lastY = y;
    }
    return String.format(
        Locale.ROOT,
        "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" points=\"%s\"/>%n",
        colour,
        width,
        p.toString().trim());
  }

  private static long niceCeiling(long value) {
    long step = 100;
    while (step * 10 < value) {
      step *= 10;
    }
    return ((value + step - 1) / step) * step;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;");
  }
}
