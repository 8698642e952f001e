package dev.translive.progress;

/** The bridge suite over SockJS's xhr-streaming transport, with the official client. */
class XhrStreamingTransportTest extends BridgeTransportSuite {
  @Override
  String transport() {
    return "xhr-streaming";
  }
}
