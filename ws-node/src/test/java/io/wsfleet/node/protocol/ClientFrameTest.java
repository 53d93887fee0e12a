package io.wsfleet.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientFrameTest {

  @Test
  void parsesEachOperation() {
    assertThat(ClientFrame.parse("{\"op\":\"subscribe\",\"channel\":\"room-1\"}"))
        .isEqualTo(new ClientFrame.Subscribe("room-1", null, null, null));
    assertThat(ClientFrame.parse("{\"op\":\"subscribe\",\"channel\":\"room-1\",\"since\":41}"))
        .isEqualTo(new ClientFrame.Subscribe("room-1", 41L, null, null));
    assertThat(ClientFrame.parse("{\"op\":\"unsubscribe\",\"channel\":\"a.b\"}"))
        .isEqualTo(new ClientFrame.Unsubscribe("a.b", null));
    assertThat(ClientFrame.parse("{\"op\":\"subscribe\",\"channel\":\"r\",\"id\":\"s-1\"}"))
        .isEqualTo(new ClientFrame.Subscribe("r", null, null, "s-1"));
    assertThat(ClientFrame.parse("{\"op\":\"unsubscribe\",\"channel\":\"r\",\"id\":\"u-1\"}"))
        .isEqualTo(new ClientFrame.Unsubscribe("r", "u-1"));
    assertThat(
            ClientFrame.parse(
                "{\"op\":\"publish\",\"channel\":\"c\",\"payload\":{\"text\":\"hi\"},\"id\":\"7\"}"))
        .isEqualTo(new ClientFrame.Publish("c", "{\"text\":\"hi\"}", "7"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json                                            | bad_json",
        "[1,2]                                               | bad_json",
        "{}                                                  | bad_request",
        "{\"op\":\"dance\"}                                   | unknown_op",
        "{\"op\":\"subscribe\"}                               | bad_request",
        "{\"op\":\"subscribe\",\"channel\":\"has space\"}      | bad_request",
        "{\"op\":\"subscribe\",\"channel\":\"c\",\"since\":-1} | bad_request",
        "{\"op\":\"subscribe\",\"channel\":\"c\",\"since\":1.5} | bad_request",
        "{\"op\":\"publish\",\"channel\":\"c\"}               | bad_request",
        "{\"op\":7}                                          | bad_request",
      })
  void refusesWithACode(String text, String code) {
    assertThatThrownBy(() -> ClientFrame.parse(text))
        .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void messageFrameIsValidJsonWithTheRawPayload() {
    String frame = ServerFrames.message("room-1", 42, "{\"n\":1}");
    assertThat(new io.vertx.core.json.JsonObject(frame).getJsonObject("payload").getInteger("n"))
        .isEqualTo(1);
    assertThat(frame)
        .isEqualTo(
            "{\"type\":\"message\",\"channel\":\"room-1\",\"offset\":42,\"payload\":{\"n\":1}}");
  }
}
