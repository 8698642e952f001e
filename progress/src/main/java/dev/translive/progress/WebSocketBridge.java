package dev.translive.progress;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the WebSocket transports of the bridge itself, raw ({@code <path>/websocket}, one JSON
 * message per frame) and SockJS's ({@code <path>/<server>/<session>/websocket}, frames o, h, a[...],
 * c[...]): a socket is a {@link SocketChannel} in the hub with no session, queue, timer or event-bus
 * consumer of its own. The fallback transports stay with vertx-web's SockJS handler.
 */
final class WebSocketBridge {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketBridge.class);
  private final BridgeHub hub;

  WebSocketBridge(BridgeHub hub) {
    this.hub = hub;
  }

  /** Routes an upgrade request to this bridge; anything else goes on to the SockJS handler. */
  void handle(RoutingContext ctx, boolean sockJs) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
      ctx.next();
      return;
    }
    String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    ctx.request().toWebSocket()
        .onSuccess(ws -> open(ws, sockJs, client))
        .onFailure(err -> LOG.warn("A bridge WebSocket upgrade failed: {}", err.toString()));
  }

  private void open(ServerWebSocket ws, boolean sockJs, String client) {
    Outlet outlet = sockJs ? new Outlet.SockJsWebSocket(ws) : new Outlet.Raw(ws);
    SocketChannel channel = hub.admit(ws, outlet, client);
    if (channel == null) {
      return;
    }
    ws.closeHandler(v -> hub.closed(ws));
    ws.exceptionHandler(err -> LOG.debug("Bridge socket error: {}", err.getMessage()));
    ws.handler(data -> {
      if (sockJs) {
        sockJsMessages(channel, data);
      } else {
        hub.onFrame(channel, parse(channel, data));
      }
    });
  }

  /** A SockJS client sends a JSON array of strings (or one string), each a bridge message. */
  private void sockJsMessages(SocketChannel channel, Buffer data) {
    if (data.length() == 0) {
      return;
    }
    try {
      Object decoded = io.vertx.core.json.Json.decodeValue(data);
      if (decoded instanceof JsonArray messages) {
        for (int i = 0; i < messages.size() && !channel.closed; i++) {
          hub.onFrame(channel, parse(channel, messages.getValue(i) instanceof String s ? Buffer.buffer(s) : null));
        }
      } else if (decoded instanceof String message) {
        hub.onFrame(channel, parse(channel, Buffer.buffer(message)));
      } else {
        hub.onFrame(channel, new JsonObject());
      }
    } catch (DecodeException e) {
      // Not SockJS framing: like vertx-web, the session ends.
      channel.outlet.close(1002, "broken_framing", null);
    }
  }

  /** The frame as JSON; an empty object (refused as an unknown type, and counted) when it is none. */
  private static JsonObject parse(SocketChannel channel, Buffer data) {
    if (data == null) {
      return new JsonObject();
    }
    try {
      return new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }
}
