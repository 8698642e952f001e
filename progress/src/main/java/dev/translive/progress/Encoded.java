package dev.translive.progress;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * One bridge message encoded once for every socket that gets it: the raw transport's bytes and,
 * made on first use, its SockJS array element (the JSON escaped as a string) and a whole SockJS
 * frame {@code a["..."]}. Sockets share these bytes; none escapes or copies the message itself.
 * Made and used on one event loop.
 */
final class Encoded {
  final byte[] raw;
  private byte[] sockJsElement;
  private byte[] sockJsFrame;

  Encoded(Buffer json) {
    this.raw = json.getBytes();
  }

  static Encoded of(io.vertx.core.json.JsonObject message) {
    return new Encoded(message.toBuffer());
  }

  /** The message as a JSON string literal, ready to go between the brackets of a SockJS a[...] frame. */
  byte[] sockJsElement() {
    if (sockJsElement == null) {
      sockJsElement = Json.encode(new String(raw, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
    return sockJsElement;
  }

  /** {@code a["..."]}: the SockJS frame carrying this message alone. */
  byte[] sockJsFrame() {
    if (sockJsFrame == null) {
      byte[] element = sockJsElement();
      byte[] frame = new byte[element.length + 3];
      frame[0] = 'a';
      frame[1] = '[';
      System.arraycopy(element, 0, frame, 2, element.length);
      frame[frame.length - 1] = ']';
      sockJsFrame = frame;
    }
    return sockJsFrame;
  }
}
