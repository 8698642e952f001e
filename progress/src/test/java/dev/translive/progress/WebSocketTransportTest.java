package dev.translive.progress;

/** The bridge suite over SockJS's websocket transport, with the official client. */
class WebSocketTransportTest extends BridgeTransportSuite {
  @Override
  String transport() {
    return "websocket";
  }
}
