package io.inlet.server.metrics;

import io.inlet.emqx.ExHookStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The EMQX ExHook provider's counts, label {@code hook} (the one hook that carries data: {@code
 * message.publish}): {@code inlet_exhook_calls_total} (calls EMQX made), {@code
 * inlet_exhook_messages_total{outcome=...}} (what the ingest did: {@code stored}, {@code
 * no_matching_rule}, {@code rejected}, {@code failed}; also when it finished after the answer;
 * {@code invalid}: refused unstored, as MQTT would refuse it, and EMQX told to drop it) and {@code
 * inlet_exhook_answers_total{answer=...}} (what EMQX was told besides a plain continue: {@code
 * timed_out}, {@code denied}).
 */
public final class ExHookMetrics {
  public static final String CALLS = "inlet.exhook.calls";
  public static final String MESSAGES = "inlet.exhook.messages";
  public static final String ANSWERS = "inlet.exhook.answers";

  private static final String HOOK = "message.publish";

  private static final Map<String, ToDoubleFunction<ExHookStats>> OUTCOMES =
      Map.of(
          "stored", s -> s.snapshot().stored(),
          "no_matching_rule", s -> s.snapshot().noMatchingRule(),
          "rejected", s -> s.snapshot().rejected(),
          "failed", s -> s.snapshot().failed(),
          "invalid", s -> s.snapshot().invalid());

  private static final Map<String, ToDoubleFunction<ExHookStats>> ANSWER_KINDS =
      Map.of("timed_out", s -> s.snapshot().timedOut(), "denied", s -> s.snapshot().denied());

  private ExHookMetrics() {}

  public static void bind(MeterRegistry registry, ExHookStats stats) {
    FunctionCounter.builder(CALLS, stats, s -> s.snapshot().received())
        .tag("hook", HOOK)
        .description("Calls EMQX made to the ExHook provider, by hook")
        .register(registry);
    OUTCOMES.forEach(
        (outcome, count) ->
            FunctionCounter.builder(MESSAGES, stats, count)
                .tag("hook", HOOK)
                .tag("outcome", outcome)
                .description(
                    "Messages EMQX handed over through ExHook, by what the ingest did (invalid:"
                        + " refused unstored as MQTT would refuse it)")
                .register(registry));
    ANSWER_KINDS.forEach(
        (answer, count) ->
            FunctionCounter.builder(ANSWERS, stats, count)
                .tag("hook", HOOK)
                .tag("answer", answer)
                .description(
                    "ExHook answers other than a plain continue: timed_out (answered before the"
                        + " store finished), denied (allow_publish=false on failure)")
                .register(registry));
  }
}
