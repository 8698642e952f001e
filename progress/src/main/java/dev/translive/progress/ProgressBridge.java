package dev.translive.progress;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser side of progress, for any Vert.x application: a SockJS event-bus bridge that carries
 * exactly the progress and queue addresses out and the snapshot request in, with per-socket rate
 * limiting and conflation, a connection cap, origin checks, slow-consumer bounds, and the current
 * state pushed on connect. Mount one per HTTP verticle instance; instances share a {@link BridgeGroup}.
 */
public final class ProgressBridge {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressBridge.class);
  /** Where {@link #mountClient} serves the browser files; the SockJS handler points its libraryURL there. */
  public static final String CLIENT_PATH = "/translive-progress";

  private final BridgeHub hub;
  private final BridgeGroup group;

  private ProgressBridge(BridgeHub hub, BridgeGroup group) {
    this.hub = hub;
    this.group = group;
  }

  /**
   * Mounts the bridge at {@code path} (e.g. "/eventbus"; raw WebSocket at path + "/websocket").
   *
   * @param libraryUrl where the page loads the SockJS client from (served locally, never a CDN)
   */
  public static Future<ProgressBridge> mount(Vertx vertx, Router router, String path, BridgeOptions options,
      BridgeGroup group, String libraryUrl) {
    BridgeHub hub = new BridgeHub(vertx, options, group);
    OriginPolicy origins = new OriginPolicy(options.getAllowedOrigins());
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions()
        .setHeartbeatInterval(options.getHeartbeatMs())
        .setSessionTimeout(options.getSessionTimeoutMs())
        .setRegisterWriteHandler(false)
        .setLibraryURL(libraryUrl);
    options.getDisabledTransports().forEach(sockJs::addDisabledTransport);
    String routes = path + "/*";
    router.route(routes).handler(ctx -> checkOrigin(ctx, origins));
    // The XHR and EventSource transports are cross-origin requests for other allowed origins;
    // checkOrigin has already refused the rest, so CORS may echo the origin it let through.
    router.route(routes).handler(CorsHandler.create().addOriginWithRegex(".*").allowCredentials(true)
        .allowedMethod(HttpMethod.GET).allowedMethod(HttpMethod.POST).allowedHeader("Content-Type"));
    // SockJS's XHR send transport posts frames; its handler needs the body read first.
    router.post(routes).handler(BodyHandler.create().setHandleFileUploads(false).setBodyLimit(options.getMaxFrameBytes()));
    if (!options.getDisabledTransports().contains("WEBSOCKET")) {
      // Both WebSocket transports are served by the hub itself; the fallbacks by vertx-web below.
      WebSocketBridge webSockets = new WebSocketBridge(hub);
      router.get(path + "/websocket").handler(ctx -> webSockets.handle(ctx, false));
      router.getWithRegex(Pattern.quote(path) + "/[^/.]+/[^/.]+/websocket").handler(ctx -> webSockets.handle(ctx, true));
    }
    router.route(routes).subRouter(SockJSHandler.create(vertx, sockJs).bridge(hub.bridgeOptions(), hub));
    group.add(hub);
    return hub.start().map(v -> new ProgressBridge(hub, group));
  }

  /**
   * What progress_client.js asks for (by default at GET /api/bridge) instead of repeating the
   * bridge's path and addresses: {"path", "addresses": {"progress", "queue", "snapshot"}}.
   */
  public static JsonObject describe(String path, BridgeOptions options) {
    return new JsonObject().put("path", path).put("addresses", new JsonObject()
        .put("progress", options.getProgressAddress())
        .put("queue", options.getQueueAddress())
        .put("snapshot", options.getSnapshotAddress()));
  }

  /** Serves progress_client.js and the vendored SockJS and Vert.x event-bus clients from this jar. */
  public static void mountClient(Router router) {
    router.route(CLIENT_PATH + "/*").handler(StaticHandler.create("META-INF/resources/translive-progress")
        .setCachingEnabled(false));
  }

  private static void checkOrigin(RoutingContext ctx, OriginPolicy origins) {
    String origin = ctx.request().getHeader("Origin");
    if (origins.allows(origin, ctx.request().getHeader("Host"))) {
      ctx.next();
    } else {
      LOG.warn("Refused a bridge request from origin {}", origin);
      ctx.response().setStatusCode(403).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "forbidden")
              .put("message", "origin " + origin + " may not use the live bridge (allowed origins)").toBuffer());
    }
  }

  /** Sockets, pending messages and unflushed bytes of this instance. */
  public JsonObject backlog() {
    return hub.backlog();
  }

  /** Unmounts from the group, unregisters the hub's consumers and closes its sockets. */
  public Future<Void> close() {
    group.remove(hub);
    return hub.stop();
  }
}
