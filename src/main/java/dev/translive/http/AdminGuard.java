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
  /** Why a submission may not have priority high. */
  public static final String HIGH_PRIORITY_REFUSAL = "priority 'high' needs the admin key (header X-Admin-Key; on the bus, "
      + "header admin_key); use 'normal' or 'low'";
  /** Why an operator's action was refused. */
  static final String OPERATOR_REFUSAL = "this needs the admin key (header X-Admin-Key or Authorization: Bearer); "
      + "the server's operator sets it with TRANSLIVE_ADMIN_KEY";
  private final byte[] keyDigest;
  /** Without a key everything passes (metrics on loopback); an operator's guard passes nothing then. */
  private final boolean openWithoutKey;

  private AdminGuard(byte[] keyDigest, boolean openWithoutKey) {
    this.keyDigest = keyDigest;
    this.openWithoutKey = openWithoutKey;
  }

  /** Open when no key is set or the service binds only a loopback address. */
  public static AdminGuard create(String key, String host) {
    return new AdminGuard(key == null || key.isEmpty() || loopback(host) ? null : digest(key), true);
  }

  /**
   * For the operator's actions (every task, reprioritising, cancelling any task, draining, priority
   * high): always the key, also on loopback; with no key set, nobody.
   */
  public static AdminGuard operator(String key) {
    return new AdminGuard(key == null || key.isEmpty() ? null : digest(key), false);
  }

  /** Whether {@code presented} is the configured {@code key}; never with no key set. Constant time. */
  public static boolean matches(String key, String presented) {
    return key != null && !key.isEmpty() && presented != null && MessageDigest.isEqual(digest(key), digest(presented));
  }

  /** Whether the request presents a key at all (right or wrong). */
  static boolean presented(HttpServerRequest request) {
    return request.getHeader("X-Admin-Key") != null || request.getHeader("Authorization") != null;
  }

  public boolean required() {
    return keyDigest != null;
  }

  public boolean allows(HttpServerRequest request) {
    if (keyDigest == null) {
      return openWithoutKey;
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

  /** SHA-256 of a secret, for constant-time comparison (also the batch tokens). */
  static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
