package dev.translive.progress;

/** A task's stage as published in {@code progress_update.data.stage}; terminal stages equal the final status. */
public enum Stage {
  QUEUED("queued"),
  EXTRACTING("extracting"),
  DEDUPLICATING("deduplicating"),
  TRANSLATING("translating"),
  ASSEMBLING("assembling"),
  COMPLETED("completed"),
  FAILED("failed"),
  CANCELLED("cancelled");

  private final String wire;

  Stage(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public boolean terminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  public static Stage fromWire(String value) {
    for (Stage s : values()) {
      if (s.wire.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown stage " + value);
  }
}
