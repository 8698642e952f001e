package dev.translive.progress;

import java.util.List;

/**
 * How the progress bridge behaves: the addresses it carries and its limits. The defaults are the
 * Translive contract's addresses and figures; an embedding application may choose its own.
 */
public record BridgeOptions(
    String progressAddress,
    String queueAddress,
    String snapshotAddress,
    int maxConnections,
    int maxMessagesPerSecond,
    int maxInboundPerSecond,
    int maxPendingPerSocket,
    long maxUnflushedBytesPerSocket,
    int maxHandlersPerSocket,
    long heartbeatMs,
    long sessionTimeoutMs,
    long pingTimeoutMs,
    int maxFrameBytes,
    long fanOutIntervalMs,
    List<String> allowedOrigins,
    List<String> disabledTransports) {

  public static final String PROGRESS = "translive.progress";
  public static final String QUEUE = "translive.queue";
  public static final String SNAPSHOT = "translive.snapshot";

  /** The contract's addresses with its default limits. */
  public static BridgeOptions defaults() {
    return new BridgeOptions(PROGRESS, QUEUE, SNAPSHOT, 100, 10, 20, 1000, 262_144, 4, 25_000, 5_000, 60_000, 16_384, 100,
        List.of(), List.of());
  }

  /** Addresses a browser may register on. */
  public List<String> outbound() {
    return List.of(progressAddress, queueAddress);
  }

  public BridgeOptions withAddresses(String progress, String queue, String snapshot) {
    return new BridgeOptions(progress, queue, snapshot, maxConnections, maxMessagesPerSecond, maxInboundPerSecond,
        maxPendingPerSocket, maxUnflushedBytesPerSocket, maxHandlersPerSocket, heartbeatMs, sessionTimeoutMs, pingTimeoutMs,
        maxFrameBytes, fanOutIntervalMs, allowedOrigins, disabledTransports);
  }

  public BridgeOptions withMaxMessagesPerSecond(int perSecond) {
    return new BridgeOptions(progressAddress, queueAddress, snapshotAddress, maxConnections, perSecond, maxInboundPerSecond,
        maxPendingPerSocket, maxUnflushedBytesPerSocket, maxHandlersPerSocket, heartbeatMs, sessionTimeoutMs, pingTimeoutMs,
        maxFrameBytes, fanOutIntervalMs, allowedOrigins, disabledTransports);
  }
}
