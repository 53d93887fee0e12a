package io.wsfleet.e2e.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The timeline chart: well-formed SVG, a line per pod, axes in whole connections and pods. */
class TimelineChartTest {

  private static FleetTimeline.Sample sample(double seconds, int ready, Map<String, Long> pods) {
    long connections = pods.values().stream().mapToLong(c -> Math.max(c, 0)).sum();
    return new FleetTimeline.Sample(
        seconds, ready, ready, ready, 0, connections, (int) connections, 0, pods, List.of());
  }

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document svg) {
    NodeList nodes = svg.getElementsByTagName("text");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }

  @Test
  void drawsALinePerPodAndTheReadyStepsOnWholeNumberAxes() throws Exception {
    List<FleetTimeline.Sample> samples =
        List.of(
            sample(0, 2, Map.of("a", 0L, "b", 0L)),
            sample(30, 10, Map.of("a", 240L, "b", 310L, "c", -1L)),
            sample(60, 3, Map.of("a", 130L, "b", 120L, "c", 150L)));

    Document svg = parse(TimelineChart.svg(samples, "fleet <chat> & co"));

    // a, b, c (its -1 "not scraped yet" left out) and the ready pods
    assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(4);
    List<String> texts = texts(svg);
    assertThat(texts).contains("fleet <chat> & co", "400", "0 s", "60 s");
    // Right axis: peak 10 ready pods, drawn to 12 in steps of 3 whole pods.
    assertThat(texts).contains("3", "6", "9", "12").noneMatch(t -> t.contains("."));
  }

  @Test
  void anEmptyTimelineStillGivesAChart() throws Exception {
    Document svg = parse(TimelineChart.svg(List.of(), "nothing yet"));

    assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(1);
  }
}
