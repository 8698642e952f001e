package dev.translive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.bus.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The edge's plain decisions: who the client is, what it may still send, what it is told. */
class EdgeLimitsTest {
  @Test
  void forwardingHeadersCountOnlyFromTrustedProxies() {
    TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "::1", "192.168.1.7"));
    assertEquals("203.0.113.9", proxies.clientAddress("10.1.2.3", List.of("203.0.113.9"), List.of()));
    // Right to left: our own proxies are skipped, the first other address is the client; what it claimed before is not believed.
    assertEquals("203.0.113.9", proxies.clientAddress("192.168.1.7", List.of("198.51.100.1, 203.0.113.9, 10.9.9.9"), List.of()));
    assertEquals("203.0.113.9", proxies.clientAddress("0:0:0:0:0:0:0:1", List.of(), List.of("for=\"203.0.113.9:4711\";proto=https")));
    assertEquals("2001:db8:0:0:0:0:0:1", proxies.clientAddress("10.0.0.1", List.of(), List.of("for=\"[2001:db8::1]:80\"")));
    // Anyone else's headers are ignored.
    assertEquals("198.51.100.4", proxies.clientAddress("198.51.100.4", List.of("203.0.113.9"), List.of("for=1.2.3.4")));
    // Junk and names are not addresses: the proxy's own address stands.
    assertEquals("10.0.0.1", proxies.clientAddress("10.0.0.1", List.of("unknown"), List.of()));
    assertEquals("10.0.0.1", proxies.clientAddress("10.0.0.1", List.of("evil.example.org"), List.of()));
    assertFalse(proxies.isTrusted("11.0.0.1"));
    assertThrows(IllegalArgumentException.class, () -> new TrustedProxies(List.of("proxy.example.org")));
  }

  @Test
  void theSubmissionLimitCountsEachFileAndRefillsWithTime() {
    AtomicLong now = new AtomicLong(0);
    ClientRateLimiter files = new ClientRateLimiter(60, 20, now::get);
    assertEquals(0, files.tryAcquire("a", 20));
    long wait = files.tryAcquire("a", 5);
    assertEquals(5, wait, "five files at one a second");
    assertEquals(0, files.tryAcquire("b", 20), "another client has its own bucket");
    now.addAndGet(5000);
    assertEquals(0, files.tryAcquire("a", 5));
    assertEquals(Long.MAX_VALUE, files.tryAcquire("a", 21), "more than the burst is never allowed");
    files.refund("a", 3);
    assertEquals(0, files.tryAcquire("a", 3));
  }

  @Test
  void connectionsAreCountedPerAddressExceptTrustedProxies() {
    ConnectionLimiter limiter = new ConnectionLimiter(2, new TrustedProxies(List.of("10.0.0.1")));
    assertTrue(limiter.tryOpen("1.1.1.1"));
    assertTrue(limiter.tryOpen("1.1.1.1"));
    assertFalse(limiter.tryOpen("1.1.1.1"));
    assertTrue(limiter.tryOpen("2.2.2.2"));
    limiter.closed("1.1.1.1");
    assertTrue(limiter.tryOpen("1.1.1.1"));
    for (int i = 0; i < 10; i++) {
      assertTrue(limiter.tryOpen("10.0.0.1"));
    }
    limiter.closed("2.2.2.2");
    assertEquals(0, limiter.openFrom("2.2.2.2"));
  }

  @Test
  void sizesReadAsMegabytes() {
    assertEquals("50 MB", Sizes.mb(52_428_800));
    assertEquals("57 MB", Sizes.mb(57L * 1024 * 1024));
    assertEquals("50.3 MB", Sizes.mb((long) (50.3 * 1024 * 1024)));
    assertEquals("4 KB", Sizes.mb(4096));
    assertEquals("500 MB", Sizes.mb(524_288_000));
  }

  @Test
  void clientsNeverSeeExceptionTextButAnErrorIdOnServerErrors() {
    JsonObject heap = ClientErrors.body(new OutOfMemoryError("Java heap space"), "POST", "/api/tasks");
    assertEquals("internal_error", heap.getString("error"));
    assertFalse(heap.getString("message").contains("heap"), heap.encode());
    assertTrue(heap.getString("error_id").matches("[0-9a-f]{12}"), heap.encode());
    assertTrue(heap.getString("message").contains(heap.getString("error_id")), heap.encode());

    JsonObject decoder = ClientErrors.body(ErrorCode.UNREADABLE_DOCUMENT.error(
        "'a.docx': org.apache.poi.ooxml.POIXMLException: java.util.zip.ZipException"), "POST", "/api/tasks");
    assertEquals("unreadable_document", decoder.getString("error"));
    assertFalse(decoder.getString("message").contains("poi"), decoder.encode());
    assertTrue(decoder.containsKey("error_id"));

    JsonObject busy = ClientErrors.body(ErrorCode.QUEUE_FULL.error("the queue is full (1000 tasks); try again later"), "POST", "/x");
    assertEquals("the queue is full (1000 tasks); try again later", busy.getString("message"));
    assertTrue(busy.containsKey("error_id"), "every 5xx has an id");

    JsonObject plain = ClientErrors.body(ErrorCode.BAD_REQUEST.error("'report.es.docx' is empty"), "POST", "/x");
    assertEquals("'report.es.docx' is empty", plain.getString("message"));
    assertFalse(plain.containsKey("error_id"));
  }
}
