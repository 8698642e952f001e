package dev.translive.progress;

import java.util.concurrent.atomic.AtomicInteger;

/** What the bridge counts; an application maps it onto its own metrics (Translive: Micrometer). */
public interface BridgeMetrics {
  /** Open sockets, shared by every bridge instance in the process so the cap is per process. */
  AtomicInteger connections();

  default void sent(long n) {}

  default void conflated() {}

  default void refused() {}

  default void reconnected() {}

  /** Counts nothing but the connections the cap needs. */
  static BridgeMetrics none() {
    AtomicInteger connections = new AtomicInteger();
    return () -> connections;
  }
}
