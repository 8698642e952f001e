package dev.translive.progress;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which web origins may open the bridge: the configured list, the service's own origin (the Host
 * the browser used) and localhost. Requests without an Origin header are not from a browser page
 * and are let through (services and the load generator).
 */
final class OriginPolicy {
  private static final List<String> LOCAL_HOSTS = List.of("localhost", "127.0.0.1", "[::1]", "::1");
  private final List<String> allowed;

  OriginPolicy(List<String> allowedOrigins) {
    this.allowed = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT).replaceAll("/+$", "")).toList();
  }

  boolean allows(String origin, String hostHeader) {
    if (origin == null) {
      return true;
    }
    String normalized = origin.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    if (allowed.contains(normalized) || allowed.contains("*")) {
      return true;
    }
    try {
      URI uri = URI.create(normalized);
      if (uri.getHost() == null) {
        return false;
      }
      if (LOCAL_HOSTS.contains(uri.getHost())) {
        return true;
      }
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return hostHeader != null && authority.equals(hostHeader.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
