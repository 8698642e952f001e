package dev.translive.tcp;

import dev.translive.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus for non-JVM services: vertx-tcp-eventbus-bridge with exactly the contract's service
 * addresses (submit, cancel, get in; progress and queue out).
 */
public final class TcpBridgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TcpBridgeVerticle.class);
  private final String host;
  private final int port;

  public TcpBridgeVerticle(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    BridgeOptions options = new BridgeOptions();
    for (String address : new String[] {Addresses.TASKS_SUBMIT, Addresses.TASKS_ESTIMATE, Addresses.TASKS_CANCEL, Addresses.TASKS_GET}) {
      options.addInboundPermitted(new PermittedOptions().setAddress(address));
    }
    for (String address : Addresses.BRIDGE_OUTBOUND) {
      options.addOutboundPermitted(new PermittedOptions().setAddress(address));
    }
    return TcpEventBusBridge.create(vertx, options).listen(port, host)
        .onSuccess(bridge -> LOG.info("TCP event-bus bridge on {}:{}", host, port));
  }
}
