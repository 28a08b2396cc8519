Feature: Latency service levels from the benchmark results users already have
  As an operator who writes a service level as time to first token and
  inter-token latency, and measures replicas with vLLM's benchmark or GuideLLM
  I want tapscale to size the pools at the throughput that meets that level
  and to say when a pool serves every token but its users wait too long
  So that the plan and the verdict speak of the latency my users see

  # tests/fixtures/latency is the hand fixture (m1: 1e7 tokens/hour flat on
  # H100s of 2500 tokens/s; m2: diurnal, 1e7 to 3e7, on L4s of 1000) with
  # slo: {ttft_p95_ms: 100, itl_p95_ms: 40} and three profiles:
  #  - m1 on H100, three `vllm bench serve --save-result` files (concurrency
  #    8, 32, 64: 900, 1800, 2400 tokens/s; TTFT p99 60, 180, 600 ms; ITL
  #    p99 15, 25, 45 ms). vLLM's default percentiles have no p95, so the
  #    p99 is read: TTFT 100 ms is crossed between 900 and 1800 at
  #    900 + 900 x 40 / 120 = 1200 tokens/s, ITL 40 ms above 1800 at
  #    1800 + 600 x 15 / 20 = 2250: the SLO's throughput is 1200.
  #  - m2 on L4, a GuideLLM report (300, 600, 900 tokens/s; TTFT p95 80, 150,
  #    400 ms; ITL p95 20, 28, 45): TTFT crosses 100 at 300 + 300 x 20 / 70
  #    = 385.714..., ITL 40 at 811.8: 385.714...
  #  - m2 on H100, a CSV of two rows, both within the SLO up to 100 tokens/s.

  Scenario: The plan sizes a profiled pool at the throughput that meets the SLO
    Given the inputs "latency"
    When I run "tapscale plan --inputs INPUTS --out OUT"
    Then the exit code is 0
    And stderr contains "INPUTS/facts/latency_profiles.yaml:4:5: the profile of m1 on H100 has no p95 ttft: its p99 is read for slo.ttft_p95_ms"
    # m1: 1.2 x 1e7 / (1200 x 3600) = 2.78 -> 3 instances (without the SLO: 2)
    And the plan has these rows:
      | model | gpu  | cap_tokens_per_hour_per_instance | instances_needed |
      | m1    | H100 | 4320000                          | 3                |
      | m2    | L4   | 1388571.4285714286               | 20               |
    And the file "OUT/public_tap_gpu_choice.csv" contains "m1,H100,1,2500,measured,aggregate,1,2.5,USD,0.2777777777777778,true,lowest cost per 1M tokens at the SLO,3,1200,0.5787037037037037"
    And the file "OUT/public_tap_gpu_choice.csv" contains "m2,L4,1,1000,measured,aggregate,1,0.8,USD,0.22222222222222224,true,lowest cost per 1M tokens at the SLO,3,385.7142857142857,"

  Scenario: A pool that serves every token but misses its TTFT fails the service level
    # The threshold policy holds m1 at 2 replicas: 2778 tokens/s over two is
    # 1389 each, a TTFT (p99 column) of 60 + 120 x 489 / 900 = 125.2 ms at
    # every minute, above 100, with no minute of demand above capacity.
    Given the inputs "latency"
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 1
    And stdout contains "FAIL sla_violations: model m1: 43200 minutes over the latency SLO (TTFT p95 125.2 ms against slo.ttft_p95_ms 100, ITL p95 20.4 ms against slo.itl_p95_ms 40) although demand never exceeded ready capacity"
    And the JSON of pool "m1" has "violation_minutes" equal to "0"
    And the file "OUT/consolidated_kpis.csv" contains "forecast_wape_pct,ttft_p95_ms,ttft_p99_ms,itl_p95_ms,itl_p99_ms,slo_minutes,beyond_profile_minutes"
    And in the JSON of every pool the arrived tokens are the served, dropped and left ones

  Scenario: A looser SLO is met where the profile allows it
    # TTFT p95 300 ms: m1's replicas at 1389 tokens/s see 125.2 ms, within it
    Given the inputs "latency"
    When I run "tapscale run --inputs INPUTS --out OUT --set slo.ttft_p95_ms=300 --set slo.itl_p95_ms=50"
    Then stdout contains "m1                                            125.2      125.2     20.4     20.4          0.0            0.0     1971.4"
    And stdout does not contain "model m1: "

  Scenario: Without a profile nothing changes
    Given the inputs "hand"
    When I run "tapscale run --inputs INPUTS --out OUT --set slo.ttft_p95_ms=100"
    Then stderr contains "model m1 on H100 has no latency profile: its plan is throughput x target, and its latency is not checked against the SLO (expected a profile in facts/latency_profiles.yaml)"
    And stdout does not contain "latency (ms"

  Scenario: advise and tune hold a profiled pool to its latency SLO
    # m1 needs 3 replicas at the SLO's 1200 tokens/s: advise rents 3, where
    # without a profile 2 serve every token. m2's peak, 3e7 tokens/hour,
    # asks 26 L4s at 385.7 tokens/s and the ceiling is 20: at 20 the hours
    # 13:00 to 17:00 (2e7 x (1 + 0.5 cos 30°) = 2.87e7 > 20 x 385.7 x 3600
    # = 2.78e7; at 45°, 2.71e7 is not) are over: 5 h x 30 days = 9000 min.
    Given the inputs "latency"
    When I run "tapscale advise --inputs INPUTS --out OUT --budget 200"
    Then the exit code is 1
    And stdout contains "m1 (H100): rent 3 x H100 fixed: as cheap as the best autoscaler (threshold), and it never scales"
    And stdout contains "m2 (L4): no way meets the service level: the closest is fixed fleet of 20 x L4 with 0.0 violation-minutes and 0.00 % of the tokens unserved, 9000.0 minutes over the latency SLO"
    And stdout contains "service level: at most 0 violation-minutes, and for pools with a latency profile at most 0 minutes over the latency SLO"
    When I run "tapscale tune --inputs INPUTS --policy hpa --out OUT"
    Then stdout contains "                                         winner              5400.00       0.0       0  target_utilization_pct=50"

  Scenario: Manifests that scale on vLLM's queue are simulated as written
    # tests/fixtures/manifests/hpa_vllm.yaml (a Pods metric vllm:num_requests_waiting,
    # averageValue 5) and keda_vllm.yaml (a Prometheus query of it, threshold 5):
    # the HPA holds the queue's waiting requests per pod at the target (the
    # fluid queue's waiting tokens / hpa.metric.tokens_per_request, 256).
    Given the inputs "hand"
    When I run "tapscale simulate --inputs INPUTS --out OUT --manifest EXAMPLES/../tests/fixtures/manifests/hpa_vllm.yaml"
    Then the exit code is 0
    And stderr does not contain "is not a token rate"
    # m1 needs 1.1 replicas all month: on the queue alone one replica lets
    # it grow, the next empties it, the HPA scales in, and again: the
    # oscillation users of such manifests report, thousands of times a month
    When I run "tapscale run --inputs INPUTS --out OUT --manifest EXAMPLES/../tests/fixtures/manifests/keda_vllm.yaml"
    Then stderr does not contain "is not a token rate"
    And the JSON of pool "m1" has "scale_events" above 10000

  Scenario: A model's own SLO over the file's
    # m1's TTFT p95 300 ms with the file's ITL p95 40 ms: TTFT crosses 300
    # between 1800 and 2400 at 1800 + 600 x 120 / 420 = 1971.4 tokens/s, ITL
    # 40 at 2250: 1971.4; its replicas' 125.2 ms meet it. m2 keeps the file's.
    Given the inputs "latency"
    And the file "operator/public_tap.yaml" ends with:
      """
      models:
        m1:
          slo:
            ttft_p95_ms: 300
      """
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then stdout contains "m1                                            125.2      125.2     20.4     20.4          0.0            0.0     1971.4"
    And stdout contains "(m1's own SLO: TTFT p95 300, ITL p95 40)"
    And stdout does not contain "model m1: "
    And stdout contains "FAIL sla_violations: model m2: 43200 minutes over the latency SLO (TTFT p95 228.7 ms against slo.ttft_p95_ms 100"
