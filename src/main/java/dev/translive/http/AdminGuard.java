package dev.translive.http;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Guards /metrics and the detail of /health: when the service listens beyond loopback and
 * TRANSLIVE_ADMIN_KEY is set, they need {@code X-Admin-Key} or {@code Authorization: Bearer}. The
 * key is compared as SHA-256 digests in constant time and never logged.
 */
public final class AdminGuard {
  static final String REFUSAL = "this needs the admin key (header X-Admin-Key or Authorization: Bearer)";
  private final byte[] keyDigest;

  private AdminGuard(byte[] keyDigest) {
    this.keyDigest = keyDigest;
  }

  /** Open when no key is set or the service binds only a loopback address. */
  public static AdminGuard create(String key, String host) {
    return new AdminGuard(key == null || key.isEmpty() || loopback(host) ? null : digest(key));
  }

  public boolean required() {
    return keyDigest != null;
  }

  public boolean allows(HttpServerRequest request) {
    if (keyDigest == null) {
      return true;
    }
    String presented = request.getHeader("X-Admin-Key");
    String authorization = request.getHeader("Authorization");
    if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = authorization.substring(7).trim();
    }
    return presented != null && MessageDigest.isEqual(keyDigest, digest(presented));
  }

  private static boolean loopback(String host) {
    try {
      return host != null && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
