package dev.translive.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.ops.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch pump alone: an engine whose answers the test releases one by one. */
class BatchPumpTest {
  private final ServiceMetrics metrics = ServiceMetrics.standalone();

  /** Answers each call only when the test says so; batches of two, two calls at once. */
  private static final class HeldEngine {
    final List<List<String>> calls = new ArrayList<>();
    final List<Promise<List<String>>> answers = new ArrayList<>();
    final BatchPump.Engine engine = new BatchPump.Engine("held", 2, 2, segments -> {
      calls.add(segments);
      Promise<List<String>> answer = Promise.promise();
      answers.add(answer);
      return answer.future();
    });

    void answer(int call) {
      answers.get(call).complete(calls.get(call).stream().map(s -> s.toUpperCase()).toList());
    }
  }

  @Test
  void keepsTheEnginesLimitInFlightAndFillsEverySegmentInOrder() {
    HeldEngine engine = new HeldEngine();
    List<String> segments = List.of("a", "b", "c", "d", "e", "f", "g");
    String[] known = {null, "B!", null, null, null, null, null};
    List<List<Integer>> told = new ArrayList<>();
    BatchPump pump = new BatchPump(engine.engine, segments, known, List.of(0, 2, 3, 4, 5, 6),
        (batch, sources, translated) -> told.add(batch), metrics);

    Future<List<String>> all = pump.run();
    assertEquals(List.of(List.of("a", "c"), List.of("d", "e")), engine.calls, "two batches of two at once");
    engine.answer(1);
    assertEquals(3, engine.calls.size(), "an answer frees a place for the next batch");
    engine.answer(0);
    engine.answer(2);
    assertTrue(all.succeeded());
    assertEquals(List.of("A", "B!", "C", "D", "E", "F", "G"), all.result());
    assertEquals(List.of(List.of(3, 4), List.of(0, 2), List.of(5, 6)), told, "the listener hears each batch as it ends");
  }

  @Test
  void aWrongNumberOfTranslationsFailsTheRunAndNothingMoreIsSent() {
    HeldEngine engine = new HeldEngine();
    BatchPump pump = new BatchPump(engine.engine, List.of("a", "b", "c", "d", "e", "f"), new String[6],
        List.of(0, 1, 2, 3, 4, 5), (batch, sources, translated) -> {}, metrics);
    Future<List<String>> all = pump.run();
    engine.answers.get(0).complete(List.of("only one"));
    assertTrue(all.failed());
    assertTrue(all.cause().getMessage().contains("returned 1 translations for 2 segments"), all.cause().getMessage());
    engine.answer(1);
    assertEquals(2, engine.calls.size(), "no batch after the failure");
  }

  @Test
  void aDrainedRunKeepsTheBatchesInFlightSendsNoMoreAndThenEnds() {
    HeldEngine engine = new HeldEngine();
    List<List<Integer>> told = new ArrayList<>();
    BatchPump pump = new BatchPump(engine.engine, List.of("a", "b", "c", "d", "e", "f", "g", "h"), new String[8],
        List.of(0, 1, 2, 3, 4, 5, 6, 7), (batch, sources, translated) -> told.add(batch), metrics);
    Future<List<String>> all = pump.run();
    pump.drain(new TaskRun.Paused());
    assertTrue(!all.isComplete(), "it waits for the two batches in flight");
    engine.answer(0);
    assertEquals(2, engine.calls.size(), "no batch after the pause");
    assertTrue(!all.isComplete());
    engine.answer(1);
    assertTrue(all.cause() instanceof TaskRun.Paused);
    assertEquals(List.of(List.of(0, 1), List.of(2, 3)), told, "the batches in flight were kept, not paid for again later");
  }

  @Test
  void aStoppedRunAbandonsTheBatchesInFlight() {
    HeldEngine engine = new HeldEngine();
    List<List<Integer>> told = new ArrayList<>();
    BatchPump pump = new BatchPump(engine.engine, List.of("a", "b", "c", "d", "e", "f"), new String[6],
        List.of(0, 1, 2, 3, 4, 5), (batch, sources, translated) -> told.add(batch), metrics);
    Future<List<String>> all = pump.run();
    pump.stop(new TaskRun.Cancelled());
    engine.answer(0);
    assertTrue(all.cause() instanceof TaskRun.Cancelled);
    assertEquals(List.of(), told, "a late answer is not taken");
    assertEquals(2, engine.calls.size());
  }

  @Test
  void nothingToTranslateEndsAtOnce() {
    BatchPump pump = new BatchPump(new HeldEngine().engine, List.of("a"), new String[] {"A"}, List.of(),
        (batch, sources, translated) -> {}, metrics);
    assertEquals(List.of("A"), pump.run().result());
  }
}
