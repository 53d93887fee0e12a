package io.wsfleet.node.session;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a text message's bytes, refusing what is not UTF-8. Vert.x's own decoding turns invalid
 * bytes into U+FFFD, which would publish a payload the client never sent.
 */
final class StrictUtf8 {

  private StrictUtf8() {}

  /** The text, or null when the bytes are not UTF-8 (overlong forms and surrogates included). */
  static String decode(Buffer message) {
    byte[] bytes = message.getBytes();
    if (isAscii(bytes)) {
      return new String(bytes, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Most frames are plain JSON: no decoder needed for them. */
  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }
}
