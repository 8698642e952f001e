package dev.translive.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Open HTTP connections per client address, so one address cannot take every file handle of the
 * process. Shared by every HTTP verticle instance (each runs on its own event loop). Addresses of
 * trusted proxies are not counted: every user behind them shares their address.
 */
public final class ConnectionLimiter {
  private final int maxPerAddress;
  private final TrustedProxies proxies;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  /** @param maxPerAddress 0 for no limit */
  public ConnectionLimiter(int maxPerAddress, TrustedProxies proxies) {
    this.maxPerAddress = maxPerAddress;
    this.proxies = proxies;
  }

  /** True when a connection from {@code address} may stay open; then {@link #closed} must follow. */
  public boolean tryOpen(String address) {
    if (maxPerAddress <= 0 || proxies.isTrusted(address)) {
      return true;
    }
    boolean[] admitted = {false};
    open.compute(address, (a, n) -> {
      int count = n == null ? 0 : n;
      admitted[0] = count < maxPerAddress;
      return admitted[0] ? count + 1 : (count == 0 ? null : count);
    });
    return admitted[0];
  }

  public void closed(String address) {
    if (maxPerAddress <= 0 || proxies.isTrusted(address)) {
      return;
    }
    // Entries go when their count does, so the map holds only addresses with open connections.
    open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  int openFrom(String address) {
    return open.getOrDefault(address, 0);
  }
}
