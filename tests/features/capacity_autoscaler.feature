Feature: Capacity planner and autoscaler simulator of the Public Tap
  As the operator of a pay-per-token LLM API
  I want a capacity plan, a simulated autoscaler and an acceptance verdict per model
  So that GPU cost, utilization and SLA risk can go into the financial plan

  # The fixture "hand" has two models whose plan is worked out by hand:
  #   m1: 7.2e9 tokens/month flat = 1e7 tokens/hour; peak 1.2 * 1e7 = 1.2e7.
  #       H100 at 2500 tok/s and 2.5/h costs 2.5/9 = 0.278 per 1M tokens, the
  #       L4 at 300 tok/s and 0.8/h costs 0.741: g* = H100. Capacity per
  #       instance 2500*3600*0.75 = 6.75e6; ceil(1.2e7/6.75e6) = 2.
  #   m2: diurnal, mean 2e7, a = 0.5: peak hour 3e7; planned peak 3.6e7.
  #       L4 at 1000 tok/s: 0.222 per 1M; H100 single stream 100*32*0.7 =
  #       2240 tok/s: 0.310 per 1M: g* = L4. ceil(3.6e7/2.7e6) = 14.

  Scenario: The plan CSV has the seed's columns and the instance counts worked out by hand
    Given the inputs "hand"
    When I run "tapscale plan --inputs INPUTS --out OUT"
    Then the exit code is 0
    And the file "public_tap_capacity_plan.csv" has the columns "model,gpu,avg_tokens_per_hour,peak_tokens_per_hour,tps,cap_tokens_per_hour_per_instance,instances_needed,target_utilization_pct,capacity_violation"
    And the plan has these rows:
      | model | gpu  | avg_tokens_per_hour | peak_tokens_per_hour | tps  | cap_tokens_per_hour_per_instance | instances_needed | capacity_violation |
      | m1    | H100 | 10000000            | 12000000             | 2500 | 6750000                          | 2                | false              |
      | m2    | L4   | 20000000            | 36000000             | 1000 | 2700000                          | 14               | false              |
    And the file "public_tap_gpu_choice.csv" has at least 4 data rows

  Scenario: The events CSV has the seed's columns and rows on a diurnal baseline
    Given the inputs "hand"
    When I run "tapscale simulate --inputs INPUTS --out OUT --timeline"
    Then the exit code is 0
    And the file "public_tap_scaling_events.csv" has the columns "timestamp,model,gpu,demand_tokens_per_hour,effective_capacity,replicas_prev,replicas_new,reason,util_pct"
    And the file "public_tap_scaling_events.csv" has at least 1 data row
    And the file "consolidated_kpis.csv" has the columns "model,gpu,scale_events,avg_util_pct,p95_util_pct,violations,violation_minutes,unserved_tokens,replica_hours,gpu_hours,max_replicas,cost,currency,horizon_start,horizon_end,horizon_hours,cost_per_month,floor_replicas,ideal_gpu_hours,ideal_cost_per_month,fixed_replicas,fixed_gpu_hours,fixed_cost_per_month,gpu_hours_vs_ideal,unservable_steps,queue_delay_p50_s,queue_delay_p95_s,queue_delay_p99_s,queue_delay_max_s,max_backlog_tokens,delayed_minutes,dropped_tokens,left_tokens,forecast_mape_pct,forecast_wape_pct"
    And the file "timeline_m2.csv" has at least 43200 data rows

  Scenario: The ready times of each scale-up are two columns after the seed's, on request
    Given the inputs "hand"
    When I run "tapscale simulate --inputs INPUTS --out OUT/seed"
    And I run "tapscale simulate --inputs INPUTS --out OUT/ready --ready-times"
    Then the file "ready/public_tap_scaling_events.csv" has the columns "timestamp,model,gpu,demand_tokens_per_hour,effective_capacity,replicas_prev,replicas_new,reason,util_pct,ready_first,ready_last"
    And every scale-up in "ready/public_tap_scaling_events.csv" has its replicas ready 120 s after it
    And the first 9 columns of "ready/public_tap_scaling_events.csv" are the file "seed/public_tap_scaling_events.csv"

  Scenario: A baseline with enough instances passes every rule
    Given the inputs "hand"
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 0
    And the verdict is "PASS"
    And the rule "capacity_violation" is "PASS"
    And the rule "p95_util" is "PASS"
    And the rule "sla_violations" is "PASS"
    And stdout contains "verdict: PASS"
    And every file listed in "SHA256SUMS" has that checksum

  Scenario: Too small a maximum is a capacity violation (WARN), and the violations it causes fail the service level
    Given the inputs "hand"
    And the policy has "max_instances_per_model" set to "3"
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 1
    And the rule "capacity_violation" is "WARN"
    And the rule "sla_violations" is "FAIL"
    And the verdict is "FAIL"
    And stdout contains "WARN capacity_violation: model m2 needs 14 instances at peak, above max_instances_per_model 3"
    And stdout contains "the ceiling max_instances_per_model 3 set at operator/public_tap.yaml holds the pool below the 14 instances its peak needs"
    When I run "tapscale run --inputs INPUTS --out OUT --severity sla_violations=warn"
    Then the exit code is 0
    And the verdict is "WARN"

  Scenario: --fail-on-warning turns a WARN into a failed acceptance
    Given the inputs "hand"
    And the policy has "max_instances_per_model" set to "3"
    When I run "tapscale run --inputs INPUTS --out OUT --fail-on-warning"
    Then the exit code is 1
    And the rule "capacity_violation" is "FAIL"
    And the verdict is "FAIL"

  Scenario: A rule's severity set on the command line
    Given the inputs "hand"
    When I run "tapscale run --inputs INPUTS --out OUT --tolerance 1 --severity p95_util=fail"
    Then the exit code is 1
    And the rule "p95_util" is "FAIL"
    And stdout contains "FAIL p95_util: model m1"

  Scenario: A policy whose p95 utilization is far from the target warns
    Given the inputs "hand"
    And the policy has "scale_up_threshold_pct" set to "30"
    And the policy has "scale_down_threshold_pct" set to "10"
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 0
    And the rule "p95_util" is "WARN"
    And the rule "sla_violations" is "PASS"
    And stdout contains "WARN p95_util: model m1"

  Scenario: Violations although the plan says capacity suffices fail the run
    Given the inputs "hand"
    And the file "operator/demand.yaml" contains:
      """
      series: [jump.csv]
      """
    And the file "operator/jump.csv" contains:
      """
      timestamp,model,demand_tokens_per_hour
      2025-01-01T00:00:00Z,m1,10000000
      2025-01-01T01:00:00Z,m1,10000000
      2025-01-01T02:00:00Z,m1,30000000
      2025-01-01T03:00:00Z,m1,30000000
      """
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 1
    And the rule "capacity_violation" is "PASS"
    And the rule "sla_violations" is "FAIL"
    And stdout contains "FAIL sla_violations: model m1"

  Scenario: Bad input is reported with file and line, and the output folder is left as it was
    Given the inputs "hand"
    And the policy has "target_utilization_pct" set to "120"
    And the policy has "warmup_s" set to "-5"
    And the output folder holds a file "public_tap_capacity_plan.csv" containing "earlier run"
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 2
    And stderr contains "tapscale: INPUTS/operator/public_tap.yaml:4:27: autoscaling.target_utilization_pct is 120 (expected a number from 1 to 100)"
    And stderr contains "tapscale: INPUTS/operator/public_tap.yaml:14:13: autoscaling.warmup_s is -5 (expected an integer number of seconds from 0 to 3153600000)"
    And stderr has 2 lines
    And the output folder is unchanged

  Scenario: A missing inputs file is reported and nothing is written
    When I run "tapscale plan --inputs INPUTS --out OUT"
    Then the exit code is 2
    And stderr contains "tapscale: INPUTS/operator/public_tap.yaml: cannot read: No such file or directory (expected a readable file)"
    And the output folder is unchanged

  Scenario: Same inputs and seed give identical outputs
    Given the inputs "hand"
    When I run "tapscale run --inputs INPUTS --out OUT/a --seed 5 --threads 1"
    And I run "tapscale run --inputs INPUTS --out OUT/b --seed 5 --threads 2"
    Then the files "a/SHA256SUMS" and "b/SHA256SUMS" are identical
    And the files "a/report.html" and "b/report.html" are identical

  Scenario: With noise another seed gives other demand and outputs
    Given the inputs "hand"
    And the file "operator/demand.yaml" contains:
      """
      noise_pct: 10
      models:
        m2: {tokens_per_month: 1.44e10, profile: diurnal, amplitude: 0.5}
      """
    When I run "tapscale run --inputs INPUTS --out OUT/a --seed 1"
    And I run "tapscale run --inputs INPUTS --out OUT/b --seed 2"
    Then the files "a/public_tap_capacity_plan.csv" and "b/public_tap_capacity_plan.csv" differ
    And the files "a/public_tap_scaling_events.csv" and "b/public_tap_scaling_events.csv" differ

  Scenario: Without noise the seed changes nothing but the recorded seed
    Given the inputs "hand"
    When I run "tapscale run --inputs INPUTS --out OUT/a --seed 1"
    And I run "tapscale run --inputs INPUTS --out OUT/b --seed 2"
    Then the files "a/public_tap_capacity_plan.csv" and "b/public_tap_capacity_plan.csv" are identical
    And the files "a/public_tap_scaling_events.csv" and "b/public_tap_scaling_events.csv" are identical
    And the files "a/consolidated_kpis.csv" and "b/consolidated_kpis.csv" are identical

  Scenario: Unknown options are usage errors with a hint
    When I run "tapscale plan --inputz INPUTS"
    Then the exit code is 2
    And stderr contains "tapscale: unknown option '--inputz'"
    And stderr contains "tapscale: try 'tapscale --help'"

  Scenario: Help and version
    When I run "tapscale --version"
    Then the exit code is 0
    And stdout contains "tapscale 0.1.0"
    When I run "tapscale run --help"
    Then the exit code is 0
    And stdout contains "Exit status: 0 accepted, 1 acceptance failed, 2 invalid input or usage"

  Scenario: The origin example is an accepted baseline
    Given the bundled example "origin"
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 0
    And the verdict is "PASS"
    And stderr contains "tapscale: warning: INPUTS/facts/tps_model_gpu.csv:31:1: row skipped: it has 12 fields but the header has 13"

  Scenario Outline: The real-trace examples run and show where a threshold autoscaler falls short
    Given the bundled example "<example>"
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 1
    And the rule "sla_violations" is "FAIL"
    And the file "public_tap_scaling_events.csv" has at least 10 data rows

    Examples:
      | example  |
      | azure    |
      | servegen |

  Scenario: A request trace becomes a demand series
    Given the output folder holds a file "notes.txt" containing "kept"
    When I run "tapscale trace --format azure --tokens output --interval 60 --scale 100 --model code --out OUT/code.csv EXAMPLES/traces/AzureLLMInferenceTrace_code.csv"
    Then the exit code is 0
    And the file "code.csv" has the columns "timestamp,model,demand_tokens_per_hour"
    And the file "code.csv" has at least 58 data rows

  Scenario: A trace written into a missing folder is an I/O error
    When I run "tapscale trace --format azure --model code --out OUT/missing/code.csv EXAMPLES/traces/AzureLLMInferenceTrace_code.csv"
    Then the exit code is 3
    And stderr contains "OUT/missing/code.csv: cannot write: No such file or directory"

  Scenario: The same demand under the threshold policy, the HPA and the KPA
    Given the inputs "hand"
    When I run "tapscale compare --inputs INPUTS --out OUT --policies threshold,hpa,kpa"
    Then the exit code is 0
    And the file "policy_comparison.csv" has the columns "model,gpu,policy,step_s,scale_events,avg_util_pct,p95_util_pct,violations,violation_minutes,unserved_tokens,replica_hours,gpu_hours,max_replicas,cost,currency,horizon_start,horizon_end,horizon_hours,cost_per_month,floor_replicas,ideal_gpu_hours,ideal_cost_per_month,fixed_replicas,fixed_gpu_hours,fixed_cost_per_month,gpu_hours_vs_ideal,unservable_steps,queue_delay_p50_s,queue_delay_p95_s,queue_delay_p99_s,queue_delay_max_s,max_backlog_tokens,delayed_minutes,dropped_tokens,left_tokens,forecast_mape_pct,forecast_wape_pct"
    And the file "policy_comparison.csv" has at least 6 data rows
    And stdout contains "hpa"
    And stdout contains "kpa"

  Scenario: A pool run by the Kubernetes HPA
    Given the inputs "hand"
    And the file "operator/public_tap.yaml" contains:
      """
      autoscaling:
        policy: hpa
        target_utilization_pct: 75
        peak_factor: 1.2
        min_instances_per_model: 1
        max_instances_per_model: 20
        hpa:
          sync_period_s: 15
          behavior:
            scale_down:
              stabilization_window_s: 600
              policies:
                - {type: Pods, value: 1, period_s: 60}
      """
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 0
    And the file "public_tap_scaling_events.csv" has at least 10 data rows

  Scenario: An unknown policy is an input error
    Given the inputs "hand"
    And the file "operator/public_tap.yaml" contains:
      """
      autoscaling:
        policy: vpa
        target_utilization_pct: 75
        peak_factor: 1.2
        min_instances_per_model: 1
        max_instances_per_model: 20
      """
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 2
    And stderr contains "INPUTS/operator/public_tap.yaml:2:11: autoscaling.policy is vpa (expected threshold, hpa, kpa, predictive or schedule)"

  Scenario: Every setting is documented from its own row, bounds included
    When I run "tapscale settings"
    Then the exit code is 0
    And stdout contains "| `warmup_s` | an integer number of seconds from 0 to 3153600000 | 120 |"
    And stdout contains "| `behavior.scale_down.select_policy` | Max, Min or Disabled | Max |"
    And stdout contains "| `max_scale_up_rate` | a number above 1 and at most 1000000 | 1000 |"
    And the user guide page "docs/inputs.md" holds stdout between "<!-- settings:begin" and "<!-- settings:end -->"

  Scenario: A bound in a message is the bound the tables state
    Given the inputs "hand"
    And the file "operator/public_tap.yaml" contains:
      """
      autoscaling:
        target_utilization_pct: 75
        peak_factor: 1.2
        min_instances_per_model: 1
        max_instances_per_model: 10
        policy: hpa
        hpa:
          behavior:
            scale_up:
              policies:
                - {type: Pods, value: 4, period_s: 2000}
      """
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 2
    And stderr contains "autoscaling.hpa.behavior.scale_up.policies[0].period_s is 2000 (expected an integer number of seconds from 1 to 1800)"
    And the output folder is unchanged

  Scenario: One setting changed on the command line, validated as in the file
    Given the inputs "hand"
    When I run "tapscale run --inputs INPUTS --out OUT --set autoscaling.cooldown_s=600 --set autoscaling.stabilization_window_s=0"
    Then the exit code is 0
    And the file "consolidated_summary.json" exists
    When I run "tapscale run --inputs INPUTS --out OUT --set autoscaling.scale_up_threshold_pct=120 --set autoscaling.hpa.tolerance=-1"
    Then the exit code is 2
    And stderr contains "tapscale: --set: autoscaling.scale_up_threshold_pct is 120 (expected a number above 0 and at most 100)"
    And stderr contains "tapscale: --set: autoscaling.hpa.tolerance is -1 (expected a fraction from 0 to below 1)"
    And the output folder is unchanged

  Scenario: A model runs with its own autoscaler settings
    Given the inputs "hand"
    And the file "operator/public_tap.yaml" contains:
      """
      autoscaling:
        target_utilization_pct: 75
        peak_factor: 1.2
        min_instances_per_model: 1
        max_instances_per_model: 20
      models:
        m2:
          autoscaling:
            policy: hpa
            hpa: {tolerance: 0.05}
      """
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 0
    And the JSON of pool "m1" has "policy" equal to "threshold"
    And the JSON of pool "m2" has "policy" equal to "hpa"
    And the JSON of pool "m2" has "step_s" equal to "15"

  Scenario: Two settings of one policy compared by name
    Given the inputs "hand"
    And the file "loose.yaml" contains:
      """
      autoscaling:
        policy: hpa
        hpa: {tolerance: 0.3}
      """
    And the file "tight.yaml" contains:
      """
      autoscaling:
        policy: hpa
        hpa: {tolerance: 0.01, downscale_stabilization_s: 0}
      """
    When I run "tapscale compare --inputs INPUTS --out OUT --variant loose=INPUTS/loose.yaml --variant tight=INPUTS/tight.yaml"
    Then the exit code is 0
    And the file "policy_comparison.csv" has at least 4 data rows
    And stdout contains "cost/month"
    And the comparison has the settings "loose,tight" for every pool

  Scenario: tune finds the cheapest setting that meets the service level, and run reproduces it
    Given the inputs "hand"
    When I run "tapscale tune --inputs INPUTS --out OUT"
    Then the exit code is 0
    And stdout contains "winner"
    And stdout contains "fixed fleet"
    And the file "tune_pareto.csv" has at least 2 data rows
    And every winner in "tune_candidates.csv" meets the service level and costs no more than the current setting
    When I put "OUT/tuned_public_tap.yaml" in place of "operator/public_tap.yaml"
    And I run "tapscale run --inputs INPUTS --out INPUTS/run-out"
    Then the exit code is 0
    And the KPIs in "inputs/run-out/consolidated_kpis.csv" are the winners of "out/tune_candidates.csv"

  Scenario: No setting meets the service level on bursty minute traffic
    Given the bundled example "azure"
    When I run "tapscale tune --inputs INPUTS --out OUT --policy threshold"
    Then the exit code is 1
    And stdout contains "no setting in the space meets the service level"
    And stdout contains "closest"
    When I run "tapscale tune --inputs INPUTS --out OUT --policy hpa --max-violation-minutes 3"
    Then the exit code is 0

  Scenario: A search space with a value out of bounds is refused at its place
    Given the inputs "hand"
    And the file "space.yaml" contains:
      """
      cooldown_s: [0, 60]
      scale_up_threshold_pct: [70, 170]
      """
    When I run "tapscale tune --inputs INPUTS --out OUT --space INPUTS/space.yaml"
    Then the exit code is 2
    And stderr contains "space.yaml:2:25: autoscaling.scale_up_threshold_pct is 170 (expected a number above 0 and at most 100)"
    And the output folder is unchanged

  Scenario: A failed run shows its warnings first, each once, then every error
    Given the bundled example "origin"
    And the policy has "target_utilization_pct" set to "0.75"
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 2
    And stderr line 1 contains "warning: INPUTS/facts/tps_model_gpu.csv:31:1: row skipped"
    And stderr line 2 contains "warning: INPUTS/facts/tps_model_gpu.csv:33:1: row skipped"
    And stderr line 3 contains "autoscaling.target_utilization_pct is 0.75, which looks like a fraction; did you mean 75? (expected a number from 1 to 100)"
    And stderr has 3 lines
    And the output folder is unchanged

  Scenario: The HorizontalPodAutoscaler a user runs is the policy of its model
    Given the inputs "hand"
    And the file "operator/hpa.yaml" contains:
      """
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: m2}
      spec:
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: m2}
        minReplicas: 2
        maxReplicas: 18
        metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
        behavior:
          scaleDown:
            stabilizationWindowSeconds: 60
      """
    And the file "operator/public_tap.yaml" contains:
      """
      autoscaling:
        target_utilization_pct: 75
        peak_factor: 1.2
        min_instances_per_model: 1
        max_instances_per_model: 20
      manifests: [hpa.yaml]
      """
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 0
    And stderr contains "warning: INPUTS/operator/hpa.yaml:9:7: the metric cpu (Resource) is not a token rate"
    And the JSON of pool "m2" has "policy" equal to "hpa"
    And the JSON of pool "m1" has "policy" equal to "threshold"
    When I run "tapscale run --inputs INPUTS --out OUT --manifest EXAMPLES/../tests/fixtures/manifests/keda.yaml"
    Then the exit code is 2
    And stderr contains "the ScaledObject scales llama-8b, the workload of no model (expected deployment: llama-8b under a model of demand.yaml; the models' workloads: m1, m2)"

  Scenario: advise says what to rent, and each exported manifest reads back to the simulation it ranked
    Given the inputs "hand"
    When I run "tapscale advise --inputs INPUTS --out adv --budget 200"
    Then the exit code is 0
    # m1: 1e7 tokens/hour flat on H100s of 9e6 tokens/hour: 2 replicas all month, which no autoscaler beats
    And stdout contains "m1 (H100): rent 2 x H100 fixed: as cheap as the best autoscaler (threshold), and it never scales"
    And stdout contains "why: the demand's peak is 1.00x its mean"
    And stdout contains "  1    fixed fleet 2         3600.00      1440.0"
    And stdout contains "ideal (floor 1)"
    # m2: the same day every day (a generated profile): a schedule by the hour follows it to within a replica-hour of the ideal
    And stdout contains "m2 (L4): run schedule on L4 with 12 windows (every day alike; each hour's peak) lead_s=120: 33.2 % below the fixed fleet of 9"
    And stdout contains "  1    schedule              3460.80      4326.0       0.0       0.00       0.0     360     1.00x"
    And the file "adv/manifest_m2.yaml" contains "kind: ScaledObject"
    And the file "adv/manifest_m2.yaml" contains "type: cron"
    When I run "tapscale run --inputs INPUTS --out rt --manifest adv/manifest_m1.yaml --manifest adv/manifest_m2.yaml"
    Then the exit code is 0
    And the KPIs of pool "m1" in "rt/consolidated_kpis.csv" are its winner in "adv/advice.csv"
    And the KPIs of pool "m2" in "rt/consolidated_kpis.csv" are its winner in "adv/advice.csv"
    When I run "tapscale advise --inputs INPUTS --out advh --budget 200 --policies hpa"
    Then the exit code is 0
    And stdout contains "m2 (L4): run hpa on L4 with target_utilization_pct=90"
    And the file "advh/manifest_m2.yaml" contains "kind: HorizontalPodAutoscaler"
    And the file "advh/manifest_m2.yaml" contains "  behavior:"
    And the file "advh/manifest_m2.yaml" contains "    scaleDown:"
    When I run "tapscale run --inputs INPUTS --out rth --manifest advh/manifest_m2.yaml"
    Then the KPIs of pool "m2" in "rth/consolidated_kpis.csv" are its winner in "advh/advice.csv"
    When I run "tapscale advise --inputs INPUTS --out advk --budget 200 --policies hpa --export keda"
    Then the exit code is 0
    When I run "tapscale run --inputs INPUTS --out rtk --manifest advk/manifest_m2.yaml"
    Then the KPIs of pool "m2" in "rtk/consolidated_kpis.csv" are its winner in "advk/advice.csv"
    When I run "tapscale advise --inputs INPUTS --out OUT --budget 200 --policies kpa"
    Then the exit code is 0
    And stdout contains "m2 (L4): run kpa on L4"
    When I run "tapscale run --inputs INPUTS --out rtn --manifest OUT/manifest_m2.yaml"
    Then the KPIs of pool "m2" in "rtn/consolidated_kpis.csv" are its winner in "OUT/advice.csv"
    When I put "OUT/tuned_public_tap.yaml" in place of "operator/public_tap.yaml"
    And I run "tapscale run --inputs INPUTS --out rty"
    Then the KPIs of pool "m2" in "rty/consolidated_kpis.csv" are its winner in "OUT/advice.csv"

  Scenario: A ceiling the user set that starves the pool fails the service level, naming the ceiling
    Given the inputs "hand"
    And the file "operator/keda.yaml" contains:
      """
      apiVersion: keda.sh/v1alpha1
      kind: ScaledObject
      metadata: {name: m2-scaler}
      spec:
        scaleTargetRef: {name: m2}
        minReplicaCount: 1
        maxReplicaCount: 2
        triggers:
          - type: prometheus
            metadata: {query: "sum(rate(vllm:generation_tokens_total[1m]))", threshold: "2000"}
      """
    And the file "operator/public_tap.yaml" contains:
      """
      autoscaling:
        target_utilization_pct: 75
        peak_factor: 1.2
        min_instances_per_model: 1
        max_instances_per_model: 20
      manifests: [keda.yaml]
      """
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 1
    And stdout contains "WARN capacity_violation: model m2 needs 14 instances at peak, above max_instances_per_model 2"
    And stdout contains "the ceiling max_instances_per_model 2 set at INPUTS/operator/keda.yaml:7:20 holds the pool below the 14 instances its peak needs (expected a ceiling of at least 14)"
    And stdout contains "verdict: FAIL"
    When I run "tapscale run --inputs INPUTS --out OUT --severity sla_violations=warn"
    Then the exit code is 0
    And stdout contains "WARN sla_violations: model m2:"

  Scenario: Demand from where users keep it: a Prometheus counter, a Mooncake trace
    When I run "tapscale trace --format prometheus --counter EXAMPLES/../tests/fixtures/traces/prometheus_counter.json"
    Then the exit code is 0
    And stderr contains "the counter of llama-8b restarted 1 times"
    And stdout contains "timestamp,model,demand_tokens_per_hour"
    And stdout contains "2025-01-01T00:04:00Z,llama-8b,1200"
    # the same counter read as a rate: its values only grow, and tapscale says so
    When I run "tapscale trace --format prometheus EXAMPLES/../tests/fixtures/traces/prometheus_counter.json"
    Then the exit code is 0
    And stderr contains "the series of llama-8b grows at most of its 7 samples (from 100 to 220): a counter such as vllm:generation_tokens_total? Read as a rate it is taken as tokens per second (expected --counter to take its increase per step as the rate)"
    When I run "tapscale trace --format prometheus EXAMPLES/../tests/fixtures/traces/prometheus_rate.json"
    Then the exit code is 0
    And stderr does not contain "a counter such as"
    # offsets from a trace's start, without --start: they would land on 1970, and tapscale says so
    When I run "tapscale trace --format csv --time-field offset_s --time-unit s --tokens-field completion_tokens --model-field model EXAMPLES/../tests/fixtures/traces/relative.csv"
    Then the exit code is 0
    And stderr contains "relative.csv: the requests begin at 1970-01-01T00:00:00Z, read as seconds since the epoch: offsets from the trace's start? (expected --start TIME, the time of offset 0, for a relative time axis)"
    And stdout contains "1970-01-01T00:00:00Z,a,10800"
    When I run "tapscale trace --format csv --time-field offset_s --time-unit s --tokens-field completion_tokens --model-field model --start 2025-03-01T00:00:00Z EXAMPLES/../tests/fixtures/traces/relative.csv"
    Then the exit code is 0
    And stdout contains "2025-03-01T00:01:00Z,a,5400"
    And stderr does not contain "offsets from the trace's start"
    When I run "tapscale trace --format mooncake --model meta/Llama-8B --start 2025-03-01T00:00:00Z EXAMPLES/../tests/fixtures/traces/mooncake.jsonl"
    Then the exit code is 0
    And stdout contains "2025-03-01T00:00:00Z,meta/Llama-8B,59400"
    # Mooncake's trace as CSV, and a CSV file given as JSON Lines: one error, not one a line
    When I run "tapscale trace --format mooncake --model meta/Llama-8B --start 2025-03-01T00:00:00Z EXAMPLES/../tests/fixtures/traces/mooncake.csv"
    Then the exit code is 0
    And stdout contains "2025-03-01T00:00:00Z,meta/Llama-8B,59400"
    When I run "tapscale trace --format jsonl --time-field ts_ms --tokens-field completion_tokens --model-field model EXAMPLES/../tests/fixtures/traces/requests.csv"
    Then the exit code is 2
    And stderr contains "requests.csv:1:1: the file is not JSON Lines: its first line is ts_ms,model,completion_tokens,prompt_tokens (expected one JSON object a line; a CSV file is read by --format csv)"
    And stderr has 1 lines
    When I run "tapscale trace --format csv --tokens-field completion_tokens EXAMPLES/../tests/fixtures/traces/requests.csv"
    Then the exit code is 2
    And stderr contains "option '--time-field' is missing (expected the name of the field with each request's time)"

  Scenario: A trace without --format is read by what its first line shows, and tapscale says which
    When I run "tapscale trace --model m1 EXAMPLES/traces/AzureLLMInferenceTrace_code.csv"
    Then the exit code is 0
    And stderr contains "AzureLLMInferenceTrace_code.csv: read as --format azure (its header TIMESTAMP,ContextTokens,GeneratedTokens)"
    And stdout contains "timestamp,model,demand_tokens_per_hour"
    When I run "tapscale trace --model meta/Llama-8B EXAMPLES/../tests/fixtures/traces/mooncake.csv"
    Then the exit code is 0
    And stderr contains "mooncake.csv: read as --format mooncake (its header timestamp_ms,input_length,output_length)"
    And stdout contains "2025-01-01T00:00:00Z,meta/Llama-8B,59400"
    When I run "tapscale trace EXAMPLES/../tests/fixtures/traces/servegen_window_s.csv"
    Then the exit code is 0
    And stderr contains "read as --format servegen (its header model,window_offset_s,input_tokens,output_tokens)"
    And stdout contains "2025-01-01T00:10:00Z,m-small,7200"
    When I run "tapscale trace EXAMPLES/../tests/fixtures/traces/requests.csv"
    Then the exit code is 2
    And stderr contains "requests.csv is a CSV header of no preset's columns: ts_ms,model,completion_tokens,prompt_tokens (expected --time-field and --tokens-field naming its fields, or the columns of a preset: azure (TIMESTAMP,ContextTokens,GeneratedTokens), burstgpt (Timestamp,Model,Request tokens,Response tokens), servegen (model,hour_offset,input_tokens_est,output_tokens_est), mooncake (timestamp,input_length,output_length); or Mooncake's JSON Lines)"
    When I run "tapscale trace --time-field ts_ms --time-unit ms --tokens-field completion_tokens --model-field model EXAMPLES/../tests/fixtures/traces/requests.csv"
    Then the exit code is 0
    And stderr contains "requests.csv: read as --format csv (a CSV header of no preset's columns: ts_ms,model,completion_tokens,prompt_tokens)"
    And stdout contains "2025-01-01T00:00:00Z,a,600"

  Scenario: A request log's times written in two units, or out of order, are named with their row
    When I run "tapscale trace --format csv --time-field t --time-unit s --tokens-field tokens --model-field model --start 2025-01-01T00:00:00Z EXAMPLES/../tests/fixtures/traces/mixed_units.csv"
    Then the exit code is 0
    And stderr contains "mixed_units.csv:4: t jumps from 30000 to 61 s (2 such jumps): seconds and milliseconds mixed? (expected one --time-unit for every row)"
    And stderr contains "mixed_units.csv:4: t goes back in time, from 30000 to 61 s (1 row earlier than the row before)"

  Scenario: Each run replaces the output folder whole, never a mix of two runs
    Given the inputs "hand"
    When I run "tapscale run --inputs INPUTS --out OUT --timeline"
    Then the exit code is 0
    And the file "timeline_m1.csv" exists
    When I run "tapscale plan --inputs INPUTS --out OUT"
    Then the exit code is 0
    And the output folder holds exactly ".tapscale-outputs,public_tap_capacity_plan.csv,public_tap_gpu_choice.csv"
    And nothing but the output folder is in the work folder

  Scenario: A folder holding files tapscale did not write is never replaced
    Given the inputs "hand"
    And the output folder holds a file "SHA256SUMS" containing "the user's own"
    And the output folder holds a file "timeline_2024_sales.csv" containing "the user's own"
    When I run "tapscale plan --inputs INPUTS --out OUT"
    Then the exit code is 2
    And stderr contains "tapscale: OUT/SHA256SUMS: was not written by tapscale, which replaces its output folder whole and never removes other files (expected an empty folder, a new path or the folder of an earlier run: move the file away or choose another --out)"
    And stderr contains "tapscale: OUT/timeline_2024_sales.csv: was not written by tapscale"
    And the output folder is unchanged

  Scenario: Two models whose timeline files would have the same name are refused before anything is written
    Given the inputs "hand"
    And the file "operator/demand.yaml" contains:
      """
      start: 2025-01-01T00:00:00Z
      horizon_hours: 24
      models:
        org/m1:
          tokens_per_month: 7.2e9
        org_m1:
          tokens_per_month: 7.2e9
      """
    And the file "facts/tps_model_gpu.csv" contains:
      """
      model_id,model_name,gpu,gpu_count,batch,throughput_tokens_per_sec,measurement_type
      org/m1,Model one,H100,1,32,2500,aggregate
      org_m1,Model one,H100,1,32,2500,aggregate
      """
    When I run "tapscale run --inputs INPUTS --out OUT --timeline"
    Then the exit code is 2
    And stderr contains "tapscale: INPUTS/operator/demand.yaml:6:3: model org/m1 and model org_m1 would both write timeline_org_m1.csv with --timeline (expected ids that differ in a letter, digit, '.' or '-')"
    And the output folder is unchanged
    And nothing but the output folder is in the work folder
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the exit code is 0

  Scenario Outline: A command-line option with a bad value says what was expected
    Given the inputs "hand"
    When I run "tapscale run --inputs INPUTS --out OUT <option> <value>"
    Then the exit code is 2
    And stderr contains "tapscale: option '<option>' is '<value>' (expected <expected>)"
    And the output folder is unchanged

    Examples:
      | option      | value | expected                                      |
      | --threads   | -1    | a whole number from 0 to 1024                 |
      | --seed      | abc   | a whole number from 0 to 18446744073709551615 |
      | --tolerance | nan   | a finite number of at least 0                 |
      | --tolerance | inf   | a finite number of at least 0                 |

  Scenario: Series files stay inside the inputs folder
    Given the inputs "hand"
    And the file "operator/demand.yaml" contains:
      """
      series: [../../../../etc/passwd]
      models:
        m1:
          tokens_per_month: 7.2e9
      """
    When I run "tapscale plan --inputs INPUTS --out OUT"
    Then the exit code is 2
    And stderr contains "tapscale: INPUTS/operator/demand.yaml:1:10: series ../../../../etc/passwd leads outside the inputs folder (expected a path inside it, relative to demand.yaml; --allow-outside-inputs permits others)"
    And the output folder is unchanged

  Scenario: The hourly rollup adds up to each pool's KPIs
    Given the bundled example "servegen"
    When I run "tapscale run --inputs INPUTS --out OUT"
    Then the file "rollup_hourly.csv" has the columns "model,gpu,period_start,steps,demand_mean_tokens_per_hour,demand_max_tokens_per_hour,ready_min,ready_max,provisioned_min,provisioned_max,scale_ups,scale_downs,violation_minutes,unserved_tokens,gpu_hours,cost,currency"
    And the rollup "rollup_hourly.csv" has a row per pool and hour, on the hour, and adds up to "consolidated_kpis.csv"

  Scenario: A horizon beyond 92 days is rolled up per day
    Given a generated fleet of 2 pools over 100 days
    When I run "tapscale run --inputs INPUTS --out OUT --no-events"
    Then the file "rollup_daily.csv" exists
    And the rollup "rollup_daily.csv" has a row per pool and day, on the day, and adds up to "consolidated_kpis.csv"

  Scenario: The report and the rollup can be left out
    Given the inputs "hand"
    When I run "tapscale run --inputs INPUTS --out OUT --no-report --no-rollup"
    Then the exit code is 0
    And the output folder holds exactly ".tapscale-outputs,SHA256SUMS,consolidated_kpis.csv,consolidated_summary.json,consolidated_summary.md,public_tap_capacity_plan.csv,public_tap_gpu_choice.csv,public_tap_scaling_events.csv"

  Scenario: A service level on queueing delay: the p99 wait of every pool against sla.max_delay_s
    # The azure example falls short at its start: tokens wait minutes for
    # capacity to warm up, which sla_violations counts as minutes and the
    # queue as the delay each token felt.
    Given the bundled example "azure"
    When I run "tapscale run --inputs INPUTS --out OUT --set sla.max_delay_s=120"
    Then the exit code is 1
    And the rule "queue_delay" is "FAIL"
    And stdout contains "FAIL queue_delay: model Qwen/Qwen2.5-7B-Instruct: p99 queue delay 732.2 s is above sla.max_delay_s 120 s (45 minutes with a longer wait, 9312027 tokens waiting at most)"
    When I run "tapscale run --inputs INPUTS --out OUT --set sla.max_delay_s=120 --severity queue_delay=warn --severity sla_violations=warn"
    Then the exit code is 0
    And the rule "queue_delay" is "WARN"

  Scenario: A timeout drops what would wait too long, and every token is accounted for
    Given the bundled example "azure"
    When I run "tapscale run --inputs INPUTS --out OUT --set sla.max_queue_s=30"
    Then the JSON of pool "Qwen/Qwen2.5-7B-Instruct" has "dropped_tokens" above 0
    And in the JSON of every pool the arrived tokens are the served, dropped and left ones

  Scenario: The predictive policy runs beside the others in compare and says how good its forecast was
    Given the bundled example "servegen"
    When I run "tapscale compare --inputs INPUTS --out OUT --policies threshold,predictive"
    Then the exit code is 0
    And the comparison has the settings "threshold,predictive" for every pool
    And in the comparison "predictive" has fewer violation minutes than "threshold" for every pool
    And in the comparison only "predictive" has a forecast error

  Scenario: A cold start that follows the model's size
    # m1 has 70e9 parameters of 2 bytes: 140 GB. At 2 GB/s on its one H100
    # the weights load in 70 s, after a container start of 30 s: every new
    # replica of m1 serves 100 s after its scale-up.
    Given the inputs "hand"
    And the file "operator/demand.yaml" contains:
      """
      start: 2025-01-01T00:00:00Z
      horizon_hours: 48
      models:
        m1: {tokens_per_month: 7.2e9, profile: diurnal, amplitude: 0.5, params_b: 70, bytes_per_param: 2}
      """
    When I run "tapscale simulate --inputs INPUTS --out OUT --ready-times --set autoscaling.weights_load_gb_per_s=2 --set autoscaling.container_start_s=30"
    Then the exit code is 0
    And every scale-up in "public_tap_scaling_events.csv" has its replicas ready 100 s after it

  Scenario: Cold starts drawn per replica are the same for a seed and differ across seeds
    Given the inputs "hand"
    When I run "tapscale simulate --inputs INPUTS --out OUT/a --seed 1 --set autoscaling.warmup_p95_factor=3"
    And I run "tapscale simulate --inputs INPUTS --out OUT/b --seed 1 --set autoscaling.warmup_p95_factor=3"
    And I run "tapscale simulate --inputs INPUTS --out OUT/c --seed 2 --set autoscaling.warmup_p95_factor=3"
    Then the files "a/public_tap_scaling_events.csv" and "b/public_tap_scaling_events.csv" are identical
    And the files "a/public_tap_scaling_events.csv" and "c/public_tap_scaling_events.csv" differ

  Scenario: A cold start from the weights needs the model's size
    Given the inputs "hand"
    When I run "tapscale plan --inputs INPUTS --out OUT --set autoscaling.weights_load_gb_per_s=2"
    Then the exit code is 2
    And stderr contains "model m1: autoscaling.weights_load_gb_per_s needs the size of its weights (expected params_b: in its entry of demand.yaml)"
    And the output folder is unchanged

  Scenario: Every setting of the service level at once: forecast, cold starts, timeout and delay target
    Given the inputs "service-level"
    When I run "tapscale run --inputs INPUTS --out OUT --ready-times"
    Then the exit code is 1
    And the rule "queue_delay" is "PASS"
    And the rule "sla_violations" is "FAIL"
    And in the JSON of every pool the arrived tokens are the served, dropped and left ones
    And the JSON of pool "m2" has "forecast_wape_pct" above 0
    And some scale-up in "public_tap_scaling_events.csv" has replicas ready at different times

  Scenario: A big minute series is read in pieces while it is parsed, with the results and the errors of reading it on one thread
    Given a generated minute fleet of 20 pools over 7 days
    And the file "INPUTS/operator/series.csv" is larger than 8 MiB
    When I run "tapscale run --inputs INPUTS --out OUT/one --threads 1 --no-events --no-report"
    And I run "tapscale run --inputs INPUTS --out OUT/two --threads 2 --no-events --no-report"
    Then the files "one/consolidated_kpis.csv" and "two/consolidated_kpis.csv" are identical
    And the files "one/consolidated_summary.json" and "two/consolidated_summary.json" are identical
    And the files "one/rollup_hourly.csv" and "two/rollup_hourly.csv" are identical
    When I put a NUL byte at the start of line 150000 of "INPUTS/operator/series.csv"
    And I run "tapscale run --inputs INPUTS --out OUT/two"
    Then the exit code is 2
    And stderr contains "series.csv:150000:1: a NUL byte (expected a text file)"
    And stderr has 1 lines
    And the output folder is unchanged
