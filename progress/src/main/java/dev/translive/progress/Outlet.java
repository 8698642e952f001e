package dev.translive.progress;

import io.netty.buffer.Unpooled;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.nio.charset.StandardCharsets;

/**
 * Where one socket's bytes go, framed as its transport wants. Every implementation writes the
 * shared bytes of {@link Encoded} messages; the WebSocket ones hand Netty a wrapper around the same
 * array (no copy, no escaping per socket).
 */
abstract class Outlet {
  /** Writes messages {@code [0, n)} of {@code batch}, as one write where the transport allows; returns the bytes. */
  abstract int write(Encoded[] batch, int n, Handler<AsyncResult<Void>> written);

  /** Tells the client why, then closes. */
  abstract void close(int code, String reason, Encoded why);

  /** The SockJS heartbeat; nothing on transports that need none or do their own. */
  void heartbeat() {}

  /** Whether this server watches the socket's pings and heartbeats (not the fallback transports, whose sessions do). */
  boolean swept() {
    return true;
  }

  /** Transports that take one message per write; the completion of the last one stands for the batch. */
  abstract static class PerMessage extends Outlet {
    abstract Future<Void> writeOne(byte[] message);

    @Override
    final int write(Encoded[] batch, int n, Handler<AsyncResult<Void>> written) {
      int bytes = 0;
      Future<Void> last = null;
      for (int i = 0; i < n; i++) {
        bytes += batch[i].raw.length;
        last = writeOne(batch[i].raw);
      }
      if (last != null) {
        last.onComplete(written);
      }
      return bytes;
    }
  }

  /** The raw WebSocket transport: one binary frame per message, as vertx-web's raw transport wrote them. */
  static final class Raw extends PerMessage {
    private final ServerWebSocket ws;

    Raw(ServerWebSocket ws) {
      this.ws = ws;
    }

    @Override
    Future<Void> writeOne(byte[] message) {
      return ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.BINARY, Unpooled.wrappedBuffer(message), true));
    }

    @Override
    void close(int code, String reason, Encoded why) {
      if (why != null) {
        writeOne(why.raw);
      }
      ws.close((short) code, reason);
    }
  }

  /**
   * SockJS's WebSocket transport: everything due in one {@code a[...]} text frame, built from the
   * messages' shared, already escaped elements.
   */
  static final class SockJsWebSocket extends Outlet {
    private static final byte[] OPEN = {'o'};
    private static final byte[] HEARTBEAT = {'h'};
    private final ServerWebSocket ws;

    SockJsWebSocket(ServerWebSocket ws) {
      this.ws = ws;
      text(OPEN);
    }

    @Override
    int write(Encoded[] batch, int n, Handler<AsyncResult<Void>> written) {
      byte[] frame;
      if (n == 1) {
        frame = batch[0].sockJsFrame();
      } else {
        int size = 3 + n - 1; // a [ ] and the commas
        for (int i = 0; i < n; i++) {
          size += batch[i].sockJsElement().length;
        }
        frame = new byte[size];
        frame[0] = 'a';
        frame[1] = '[';
        int at = 2;
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            frame[at++] = ',';
          }
          byte[] element = batch[i].sockJsElement();
          System.arraycopy(element, 0, frame, at, element.length);
          at += element.length;
        }
        frame[at] = ']';
      }
      text(frame).onComplete(written);
      return frame.length;
    }

    @Override
    void heartbeat() {
      text(HEARTBEAT);
    }

    @Override
    void close(int code, String reason, Encoded why) {
      if (why != null) {
        text(why.sockJsFrame());
      }
      text(("c[" + code + "," + io.vertx.core.json.Json.encode(reason) + "]").getBytes(StandardCharsets.UTF_8));
      ws.close((short) code, reason);
    }

    private Future<Void> text(byte[] bytes) {
      return ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(bytes), true));
    }
  }

  /** vertx-web's SockJS session: the fallback transports (XHR streaming and polling, EventSource). */
  static final class Session extends PerMessage {
    private final SockJSSocket socket;

    Session(SockJSSocket socket) {
      this.socket = socket;
    }

    @Override
    Future<Void> writeOne(byte[] message) {
      return socket.write(Buffer.buffer(message));
    }

    @Override
    void close(int code, String reason, Encoded why) {
      if (why == null) {
        socket.close(code, reason);
      } else {
        // A session drops what is still queued when it closes: the reason goes out first.
        writeOne(why.raw).onComplete(v -> socket.close(code, reason));
      }
    }

    @Override
    boolean swept() {
      return false;
    }
  }
}
