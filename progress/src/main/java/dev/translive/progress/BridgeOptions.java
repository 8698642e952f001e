package dev.translive.progress;

import java.util.List;

/**
 * How the progress bridge behaves: the addresses it carries and its limits, as a data object with
 * named defaults and fluent setters (in the style of vertx-web's SockJSBridgeOptions). The defaults
 * are the Translive contract's addresses and figures; an embedding application may choose its own.
 */
public final class BridgeOptions {
  /** The contract's public addresses: defined here once; bus/Addresses and the page refer to them. */
  public static final String PROGRESS = "translive.progress";
  public static final String QUEUE = "translive.queue";
  public static final String SNAPSHOT = "translive.snapshot";

  /** Default: bridge sockets per process; one over is closed with max_connections_reached. */
  public static final int DEFAULT_MAX_CONNECTIONS = 100;

  /** Default: bridge sockets one client (its TCP peer address) may hold, so one client cannot take every slot. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 20;

  /** Default: outbound messages per socket per second; over it progress conflates. */
  public static final int DEFAULT_MAX_MESSAGES_PER_SECOND = 10;

  /** Default: inbound frames per socket per second, pings included; sustained flooding closes the socket. */
  public static final int DEFAULT_MAX_INBOUND_PER_SECOND = 20;

  /** Default: messages held for a socket under the cap; past it the socket is closed as a slow consumer. */
  public static final int DEFAULT_MAX_PENDING_PER_SOCKET = 1000;

  /** Default: bytes written to a socket but not yet flushed before further messages are held (and conflated). */
  public static final long DEFAULT_MAX_UNFLUSHED_BYTES_PER_SOCKET = 262_144;

  /** Default: registrations per socket. */
  public static final int DEFAULT_MAX_HANDLERS_PER_SOCKET = 4;

  /** Default: SockJS heartbeat interval. */
  public static final long DEFAULT_HEARTBEAT_MS = 25_000;

  /** Default: SockJS session timeout of the fallback transports. */
  public static final long DEFAULT_SESSION_TIMEOUT_MS = 5_000;

  /** Default: a socket that sends no frame (ping or other) for this long is closed. */
  public static final long DEFAULT_PING_TIMEOUT_MS = 60_000;

  /** Default: largest inbound frame. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16_384;

  /** Default: fan-out passes run at once when idle and at most this often under load. */
  public static final long DEFAULT_FAN_OUT_INTERVAL_MS = 100;

  /** Default: web origins besides the service's own and localhost that may open the bridge. */
  public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of();

  /** Default: SockJS transports switched off (WEBSOCKET, XHR, EVENT_SOURCE, ...). */
  public static final List<String> DEFAULT_DISABLED_TRANSPORTS = List.of();


  private String progressAddress = PROGRESS;
  private String queueAddress = QUEUE;
  private String snapshotAddress = SNAPSHOT;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
  private int maxMessagesPerSecond = DEFAULT_MAX_MESSAGES_PER_SECOND;
  private int maxInboundPerSecond = DEFAULT_MAX_INBOUND_PER_SECOND;
  private int maxPendingPerSocket = DEFAULT_MAX_PENDING_PER_SOCKET;
  private long maxUnflushedBytesPerSocket = DEFAULT_MAX_UNFLUSHED_BYTES_PER_SOCKET;
  private int maxHandlersPerSocket = DEFAULT_MAX_HANDLERS_PER_SOCKET;
  private long heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private long sessionTimeoutMs = DEFAULT_SESSION_TIMEOUT_MS;
  private long pingTimeoutMs = DEFAULT_PING_TIMEOUT_MS;
  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private long fanOutIntervalMs = DEFAULT_FAN_OUT_INTERVAL_MS;
  private List<String> allowedOrigins = DEFAULT_ALLOWED_ORIGINS;
  private List<String> disabledTransports = DEFAULT_DISABLED_TRANSPORTS;

  public BridgeOptions() {}

  /** A copy, so one instance can be adjusted without touching another's. */
  public BridgeOptions(BridgeOptions other) {
    this.progressAddress = other.progressAddress;
    this.queueAddress = other.queueAddress;
    this.snapshotAddress = other.snapshotAddress;
    this.maxConnections = other.maxConnections;
    this.maxConnectionsPerClient = other.maxConnectionsPerClient;
    this.maxMessagesPerSecond = other.maxMessagesPerSecond;
    this.maxInboundPerSecond = other.maxInboundPerSecond;
    this.maxPendingPerSocket = other.maxPendingPerSocket;
    this.maxUnflushedBytesPerSocket = other.maxUnflushedBytesPerSocket;
    this.maxHandlersPerSocket = other.maxHandlersPerSocket;
    this.heartbeatMs = other.heartbeatMs;
    this.sessionTimeoutMs = other.sessionTimeoutMs;
    this.pingTimeoutMs = other.pingTimeoutMs;
    this.maxFrameBytes = other.maxFrameBytes;
    this.fanOutIntervalMs = other.fanOutIntervalMs;
    this.allowedOrigins = other.allowedOrigins;
    this.disabledTransports = other.disabledTransports;
  }

  /** The address progress messages are published on. */
  public String getProgressAddress() {
    return progressAddress;
  }

  public BridgeOptions setProgressAddress(String progressAddress) {
    this.progressAddress = java.util.Objects.requireNonNull(progressAddress);
    return this;
  }

  /** The address the queue view is published on. */
  public String getQueueAddress() {
    return queueAddress;
  }

  public BridgeOptions setQueueAddress(String queueAddress) {
    this.queueAddress = java.util.Objects.requireNonNull(queueAddress);
    return this;
  }

  /** The address a browser may send to, answered with the current state. */
  public String getSnapshotAddress() {
    return snapshotAddress;
  }

  public BridgeOptions setSnapshotAddress(String snapshotAddress) {
    this.snapshotAddress = java.util.Objects.requireNonNull(snapshotAddress);
    return this;
  }

  /** Bridge sockets per process; one over is closed with max_connections_reached. */
  public int getMaxConnections() {
    return maxConnections;
  }

  public BridgeOptions setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
    return this;
  }

  /** Bridge sockets one client address may hold, so one client cannot take every slot. */
  public int getMaxConnectionsPerClient() {
    return maxConnectionsPerClient;
  }

  public BridgeOptions setMaxConnectionsPerClient(int maxConnectionsPerClient) {
    this.maxConnectionsPerClient = maxConnectionsPerClient;
    return this;
  }

  /** Outbound messages per socket per second; over it progress conflates. */
  public int getMaxMessagesPerSecond() {
    return maxMessagesPerSecond;
  }

  public BridgeOptions setMaxMessagesPerSecond(int maxMessagesPerSecond) {
    this.maxMessagesPerSecond = maxMessagesPerSecond;
    return this;
  }

  /** Inbound frames per socket per second, pings included; sustained flooding closes the socket. */
  public int getMaxInboundPerSecond() {
    return maxInboundPerSecond;
  }

  public BridgeOptions setMaxInboundPerSecond(int maxInboundPerSecond) {
    this.maxInboundPerSecond = maxInboundPerSecond;
    return this;
  }

  /** Messages held for a socket under the cap; past it the socket is closed as a slow consumer. */
  public int getMaxPendingPerSocket() {
    return maxPendingPerSocket;
  }

  public BridgeOptions setMaxPendingPerSocket(int maxPendingPerSocket) {
    this.maxPendingPerSocket = maxPendingPerSocket;
    return this;
  }

  /** Bytes written to a socket but not yet flushed before further messages are held (and conflated). */
  public long getMaxUnflushedBytesPerSocket() {
    return maxUnflushedBytesPerSocket;
  }

  public BridgeOptions setMaxUnflushedBytesPerSocket(long maxUnflushedBytesPerSocket) {
    this.maxUnflushedBytesPerSocket = maxUnflushedBytesPerSocket;
    return this;
  }

  /** Registrations per socket. */
  public int getMaxHandlersPerSocket() {
    return maxHandlersPerSocket;
  }

  public BridgeOptions setMaxHandlersPerSocket(int maxHandlersPerSocket) {
    this.maxHandlersPerSocket = maxHandlersPerSocket;
    return this;
  }

  /** SockJS heartbeat interval. */
  public long getHeartbeatMs() {
    return heartbeatMs;
  }

  public BridgeOptions setHeartbeatMs(long heartbeatMs) {
    this.heartbeatMs = heartbeatMs;
    return this;
  }

  /** SockJS session timeout of the fallback transports. */
  public long getSessionTimeoutMs() {
    return sessionTimeoutMs;
  }

  public BridgeOptions setSessionTimeoutMs(long sessionTimeoutMs) {
    this.sessionTimeoutMs = sessionTimeoutMs;
    return this;
  }

  /** A socket that sends no frame (ping or other) for this long is closed. */
  public long getPingTimeoutMs() {
    return pingTimeoutMs;
  }

  public BridgeOptions setPingTimeoutMs(long pingTimeoutMs) {
    this.pingTimeoutMs = pingTimeoutMs;
    return this;
  }

  /** Largest inbound frame. */
  public int getMaxFrameBytes() {
    return maxFrameBytes;
  }

  public BridgeOptions setMaxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  /** Fan-out passes run at once when idle and at most this often under load. */
  public long getFanOutIntervalMs() {
    return fanOutIntervalMs;
  }

  public BridgeOptions setFanOutIntervalMs(long fanOutIntervalMs) {
    this.fanOutIntervalMs = fanOutIntervalMs;
    return this;
  }

  /** Web origins besides the service's own and localhost that may open the bridge. */
  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  public BridgeOptions setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
    return this;
  }

  /** SockJS transports switched off (WEBSOCKET, XHR, EVENT_SOURCE, ...). */
  public List<String> getDisabledTransports() {
    return disabledTransports;
  }

  public BridgeOptions setDisabledTransports(List<String> disabledTransports) {
    this.disabledTransports = List.copyOf(disabledTransports);
    return this;
  }

  /** Addresses a browser may register on. */
  public List<String> outbound() {
    return List.of(progressAddress, queueAddress);
  }
}
