package dev.translive.http;

import dev.translive.config.AppConfig;
import java.util.function.LongSupplier;

/**
 * The HTTP edge's per-client state, one per process and shared by every HTTP verticle instance
 * (a client's connections land on any of them): files and bytes per client, connections per address.
 */
public final class EdgeLimits {
  final TrustedProxies proxies;
  final ClientRateLimiter files;
  final ClientRateLimiter bytes;
  final ConnectionLimiter connections;
  final long bytesPerHour;

  public EdgeLimits(AppConfig config, LongSupplier clock) {
    AppConfig.Edge edge = config.edge();
    this.proxies = new TrustedProxies(edge.trustedProxies());
    this.files = new ClientRateLimiter(config.upload().perClientPerMinute(), config.upload().perClientBurst(), clock);
    // A client may upload an hour's worth at once, then at the hourly rate.
    this.bytesPerHour = edge.perClientBytesPerHour();
    this.bytes = new ClientRateLimiter(bytesPerHour / 60.0, bytesPerHour, clock);
    this.connections = new ConnectionLimiter(edge.maxConnectionsPerAddress(), proxies);
  }
}
