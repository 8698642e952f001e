package dev.translive.http;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who the client is, as far as the edge can tell: the TCP peer, unless that peer is one of
 * {@code http.trustedProxies}; then the nearest address in X-Forwarded-For (or Forwarded) that is not
 * itself a trusted proxy. Headers from anyone else are ignored, so they cannot pick their own bucket.
 */
public final class TrustedProxies {
  /** Only literal addresses are parsed, never names: a header must not trigger a DNS lookup. */
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");
  private final List<Range> ranges;

  private record Range(BigInteger network, int bits, int length) {
    boolean contains(byte[] address) {
      if (address.length != length) {
        return false;
      }
      int shift = length * 8 - bits;
      return new BigInteger(1, address).shiftRight(shift).equals(network.shiftRight(shift));
    }
  }

  /** @param entries addresses ("10.0.0.1", "::1") and CIDR ranges ("10.0.0.0/8", "fd00::/8") */
  public TrustedProxies(List<String> entries) {
    List<Range> parsed = new ArrayList<>();
    for (String entry : entries) {
      String[] parts = entry.trim().split("/", 2);
      byte[] address = literal(parts[0]);
      if (address == null) {
        throw new IllegalArgumentException("http.trustedProxies: '" + entry + "' is not an IP address or CIDR range");
      }
      int bits = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : address.length * 8;
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("http.trustedProxies: bad prefix length in '" + entry + "'");
      }
      parsed.add(new Range(new BigInteger(1, address), bits, address.length));
    }
    this.ranges = List.copyOf(parsed);
  }

  public boolean isTrusted(String address) {
    byte[] bytes = literal(address);
    return bytes != null && ranges.stream().anyMatch(r -> r.contains(bytes));
  }

  /**
   * The client address of a request from {@code peer}.
   *
   * @param forwardedFor the X-Forwarded-For header values, or empty
   * @param forwarded the Forwarded header values (RFC 7239), used when there is no X-Forwarded-For
   */
  public String clientAddress(String peer, List<String> forwardedFor, List<String> forwarded) {
    if (peer == null || !isTrusted(peer)) {
      return peer == null ? "unknown" : peer;
    }
    List<String> hops = new ArrayList<>();
    if (!forwardedFor.isEmpty()) {
      forwardedFor.forEach(h -> hops.addAll(List.of(h.split(","))));
    } else {
      forwarded.forEach(h -> {
        for (String element : h.split(",")) {
          for (String pair : element.split(";")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("for")) {
              hops.add(kv[1]);
            }
          }
        }
      });
    }
    // The right-most hops were added by our own proxies; the first untrusted one is the client.
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = normalise(hops.get(i));
      if (hop == null) {
        break;
      }
      client = hop;
      if (!isTrusted(hop)) {
        break;
      }
    }
    return client;
  }

  /** "1.2.3.4", "1.2.3.4:5678", "[::1]:80", "\"[::1]\"" to an address; null for "unknown" and junk. */
  private static String normalise(String hop) {
    String h = hop.trim().replace("\"", "");
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end < 0 ? "" : h.substring(1, end);
    } else if (h.indexOf(':') == h.lastIndexOf(':') && h.contains(".")) {
      int colon = h.indexOf(':');
      h = colon < 0 ? h : h.substring(0, colon);
    }
    byte[] bytes = literal(h);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte[] literal(String text) {
    if (text == null || text.isEmpty() || text.length() > 45 || !LITERAL.matcher(text).matches()) {
      return null;
    }
    String t = text.toLowerCase(Locale.ROOT);
    if (!t.contains(":") && t.chars().filter(c -> c == '.').count() != 3) {
      return null;
    }
    try {
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
