package dev.translive.progress;

/** The bridge suite over SockJS's xhr-polling transport, with the official client. */
class XhrPollingTransportTest extends BridgeTransportSuite {
  @Override
  String transport() {
    return "xhr-polling";
  }
}
