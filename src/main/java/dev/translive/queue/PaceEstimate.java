package dev.translive.queue;

import dev.translive.bus.TaskSpec;

/** A task's run time from its work: characters times a pace per character, else segments times a pace per segment. */
public final class PaceEstimate {
  private PaceEstimate() {}

  /**
   * @param secondsPerCharacter the pace per character, or null when none is known
   * @param secondsPerSegment the fallback (nominal or configured) pace per segment
   */
  public static double seconds(TaskSpec spec, Double secondsPerCharacter, double secondsPerSegment) {
    return spec.characters() > 0 ? seconds(spec.characters(), spec.totalSegments(), secondsPerCharacter, secondsPerSegment)
        : spec.totalSegments() * secondsPerSegment;
  }

  public static double seconds(long characters, int segments, Double secondsPerCharacter, double secondsPerSegment) {
    return secondsPerCharacter != null ? characters * secondsPerCharacter : segments * secondsPerSegment;
  }
}
