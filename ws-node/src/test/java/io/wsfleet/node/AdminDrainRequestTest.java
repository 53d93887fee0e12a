package io.wsfleet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.RawClient;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.node.testing.VertxPair;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /admin/drain on the real admin port: bodies are small and exactly what they should be. */
class AdminDrainRequestTest {

  /** HTTP/1.1 only; {@link Admin} is the operator's client, which upgrades to HTTP/2 (h2c). */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @RegisterExtension final VertxPair loop = new VertxPair();

  /** A valid drain of one client, followed by ten megabytes of JSON whitespace. */
  private static byte[] hugeBody() {
    return ("{\"count\":1}" + " ".repeat(10 << 20)).getBytes(StandardCharsets.US_ASCII);
  }

  private static HttpResponse<String> post(
      WsNode node, HttpRequest.BodyPublisher body, boolean expectContinue) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + "/admin/drain"))
            .header("Authorization", "Bearer " + Nodes.TOKEN)
            .timeout(Duration.ofSeconds(20))
            .expectContinue(expectContinue)
            .POST(body)
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void assertNoDrain(WsNode node, TestClient client) {
    JsonObject status = Admin.status(node.adminPort());
    assertThat(status.getBoolean("draining")).as("draining: %s", status).isFalse();
    assertThat(status.getJsonObject("drain").getLong("closed")).isZero();
    assertThat(client.closed()).isFalse();
  }

  @Test
  void aBodyAbove4KiBIs413AndStartsNoDrain() throws Exception {
    WsNode node = Nodes.start(loop.server(), Map.of());
    TestClient client =
        TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);

    HttpResponse<String> sized =
        post(node, HttpRequest.BodyPublishers.ofByteArray(hugeBody()), false);
    HttpResponse<String> chunked =
        post(
            node,
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(hugeBody())),
            false);
    HttpResponse<String> operatorsClient =
        Admin.post(
            node.adminPort(),
            "/admin/drain",
            Nodes.TOKEN,
            new String(hugeBody(), StandardCharsets.US_ASCII));
    // A client that asks before sending (curl does above 1 MiB) is answered unsent.
    RawClient asking = RawClient.connect(node.adminPort());
    asking.sendAscii(
        "POST /admin/drain HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + Nodes.TOKEN
            + "\r\nContent-Length: 10485760\r\nExpect: 100-continue\r\n\r\n");
    String expecting = asking.readHttpHead();
    asking.close();

    assertThat(sized.statusCode()).as("with Content-Length: %s", sized.body()).isEqualTo(413);
    assertThat(sized.body()).contains("4096 bytes");
    assertThat(chunked.statusCode()).as("chunked: %s", chunked.body()).isEqualTo(413);
    assertThat(operatorsClient.statusCode())
        .as("%s: %s", operatorsClient.version(), operatorsClient.body())
        .isEqualTo(413);
    assertThat(expecting).startsWith("HTTP/1.1 413");
    assertNoDrain(node, client);
  }

  @Test
  void fieldsAreTypeCheckedStrictlyAndNamedWhenWrong() throws Exception {
    WsNode node = Nodes.start(loop.server(), Map.of());
    TestClient client =
        TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);
    Map<String, String> refused =
        Map.of(
            "{\"count\":1.5}", "count",
            "{\"count\":10000000000}", "count",
            "{\"count\":null}", "count",
            "{\"ratePerSecond\":\"100\"}", "ratePerSecond",
            "{\"ratePerSecond\":0}", "ratePerSecond",
            "{\"deadlineSeconds\":1e3}", "deadlineSeconds",
            "{\"deadlineSeconds\":true}", "deadlineSeconds",
            "{\"ratePerSecond\":100,\"rate\":5}", "rate",
            "[{\"count\":1}]", "JSON object");

    SoftAssertions soft = new SoftAssertions();
    refused.forEach(
        (body, named) -> {
          HttpResponse<String> response =
              Admin.post(node.adminPort(), "/admin/drain", Nodes.TOKEN, body);
          soft.assertThat(response.statusCode()).as("status for %s", body).isEqualTo(400);
          soft.assertThat(response.body()).as("error for %s", body).contains(named);
        });
    soft.assertAll();
    assertNoDrain(node, client);

    HttpResponse<String> valid =
        post(
            node,
            HttpRequest.BodyPublishers.ofString(
                "{\"ratePerSecond\":100,\"deadlineSeconds\":60,\"count\":1}"),
            true);
    assertThat(valid.statusCode()).as(valid.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(client::closed);
    assertThat(client.closeCode()).isEqualTo((short) 1012);
  }
}
