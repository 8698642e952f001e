package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.translive.bus.Internal;
import dev.translive.bus.TaskSpec;
import dev.translive.progress.Stage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Waits in characters, from the live pace of a running task of the same engine and pair. */
class LivePaceTest {
  private final AtomicLong clock = new AtomicLong(1_000_000);

  private static TaskSpec spec(String id, int segments, long characters, String target) {
    return new TaskSpec(id, id + ".txt", "/u/" + id, "txt", "en", target, "openai", false, segments, "/r/" + id,
        id + ".out.txt", -1, "c-" + id, characters);
  }

  @Test
  void queuedTasksTakeTheRunningTasksLivePaceAndTheirOwnCharacters() {
    // Nothing learned: the configured 0.5 s a segment is all there is at first.
    QueueMachine machine = new QueueMachine(new QueueMachine.Settings(1, 10, 3, false, 0.5), clock::get, spec -> null);
    TaskRecord running = machine.submit(spec("a", 100, 10_000, "es"), "ta");
    machine.stored("a");
    TaskRecord longer = machine.submit(spec("b", 10, 20_000, "es"), "tb");
    machine.stored("b");
    TaskRecord otherPair = machine.submit(spec("c", 10, 20_000, "de"), "tc");
    machine.stored("c");
    machine.admit();
    machine.handedTo("a", "tr-1");
    assertEquals(5.0, machine.estimatedDuration(longer), 1e-9, "before any measurement: segments times the default");

    // The translator measures 1 ms a character and has 4 s left.
    machine.heartbeat(new Internal.Heartbeat("tr-1", List.of("a"), List.of(), Map.of("a", 0.001)));
    machine.progress(new Internal.ProgressSeen("a", Stage.TRANSLATING, 0.6, 60, 100, 0, 4.0), "m");
    assertEquals(20.0, machine.estimatedDuration(longer), 1e-9, "20,000 characters at the live 1 ms: not 10 segments");
    assertEquals(5.0, machine.estimatedDuration(otherPair), 1e-9, "another language pair does not borrow it");
    assertEquals(4.0, machine.waitOf(longer), 1e-9);
    assertEquals(24.0, machine.waitOf(otherPair), 1e-9, "behind a (4 s) and b (20 s)");

    // The running task's ETA counts down between its progress messages.
    clock.addAndGet(1500);
    assertEquals(2.5, machine.waitOf(longer), 1e-9);
  }

  @Test
  void historyGivesThePaceOfTheSameEngineAndPairWhenNothingRuns() {
    History history = new History(10);
    history.add(new io.vertx.core.json.JsonObject().put("status", "completed").put("engine", "openai").put("source_lang", "en")
        .put("target_lang", "es").put("format", "html").put("translated_characters", 1000).put("translate_seconds", 9.0)
        .put("throughput_seconds", 2.0));
    assertEquals(0.002, history.secondsPerCharacter(spec("x", 1, 1, "es")), 1e-12, "throughput, and another format of the pair");
    assertEquals(0.002, history.secondsPerCharacter(spec("y", 1, 1, "de")), 1e-12, "else the engine's");
  }
}
