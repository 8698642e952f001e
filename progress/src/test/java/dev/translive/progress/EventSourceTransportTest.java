package dev.translive.progress;

/** The bridge suite over SockJS's eventsource transport, with the official client. */
class EventSourceTransportTest extends BridgeTransportSuite {
  @Override
  String transport() {
    return "eventsource";
  }
}
