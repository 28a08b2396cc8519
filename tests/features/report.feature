@browser
Feature: The report: what the autoscaler did, as pictures, in one offline page
  As a platform engineer who has run tapscale
  I want one file that shows demand against capacity, the replicas, the
  utilization and the money of every pool, and opens in any browser offline
  So that I see scaling churn and shortfalls without reading thousands of rows

  # These scenarios open report.html in Debian's chromium (headless, through
  # puppeteer-core) from file:// with the network off: any request other
  # than the page itself, any console error and any script error fails them.

  Scenario: The run report of a real trace opens offline and draws every pool
    Given the bundled example "azure"
    When I run "tapscale run --inputs INPUTS --out OUT --timeline"
    Then the exit code is 1
    And the file "report.html" exists
    When I open "report.html" in a browser without network
    Then the page has no console error and no failed request
    And the overview lists 2 pools, worst first
    And every pool drawn in detail has its charts drawn, axes labelled with units
    And I save a screenshot as "run-azure"

  Scenario: The readout under the cursor gives the timeline's values at a known minute
    # The azure example has 60 one-minute steps per pool, so each bucket of
    # the chart is one step and the readout must equal the timeline's row.
    Given the bundled example "azure"
    When I run "tapscale run --inputs INPUTS --out OUT --timeline"
    And I open "report.html" in a browser without network
    And I move the cursor over the demand chart of "Qwen/Qwen2.5-7B-Instruct" at "2023-11-16T18:20:00Z"
    Then the readout shows the row of "timeline_Qwen_Qwen2.5-7B-Instruct.csv" at "2023-11-16T18:20:00Z"
    When I move the cursor over the demand chart of "meta-llama/Llama-3.1-8B-Instruct" at "2023-11-16T18:49:00Z"
    Then the readout shows the row of "timeline_meta-llama_Llama-3.1-8B-Instruct.csv" at "2023-11-16T18:49:00Z"

  Scenario: Zoom and pan change the time range the charts of a pool show, together
    Given the bundled example "azure"
    When I run "tapscale run --inputs INPUTS --out OUT"
    And I open "report.html" in a browser without network
    And I zoom the charts of "Qwen/Qwen2.5-7B-Instruct" with the wheel at "2023-11-16T18:45:00Z"
    Then the demand and replicas charts of "Qwen/Qwen2.5-7B-Instruct" show the same narrower range around "2023-11-16T18:45:00Z"
    When I press "pan ▶" for "Qwen/Qwen2.5-7B-Instruct"
    Then the demand and replicas charts of "Qwen/Qwen2.5-7B-Instruct" show a later range of the same length
    When I press "whole horizon" for "Qwen/Qwen2.5-7B-Instruct"
    Then the demand chart of "Qwen/Qwen2.5-7B-Instruct" shows the whole horizon

  Scenario: A comparison overlays the policies on one time axis per pool
    Given the bundled example "azure"
    When I run "tapscale compare --inputs INPUTS --out OUT"
    Then the exit code is 0
    When I open "report.html" in a browser without network
    Then the page has no console error and no failed request
    And every pool drawn in detail has its charts drawn, axes labelled with units
    And the demand chart of every pool drawn in detail has a ready capacity series for "threshold,hpa,kpa"
    And the settings of every pool drawn in detail share one time grid, each to the end of its horizon
    And I save a screenshot as "compare-azure"

  Scenario: A tuning shows cost against violation-minutes with the current and the winning setting
    Given the bundled example "azure"
    When I run "tapscale tune --inputs INPUTS --out OUT --policy hpa --max-violation-minutes 3"
    Then the exit code is 0
    When I open "report.html" in a browser without network
    Then the page has no console error and no failed request
    And every pool drawn in detail has a drawn Pareto chart with the current and the winning setting
    And I save a screenshot as "tune-azure"

  Scenario: A fleet of a thousand pools over a month stays small and says what it left out
    Given a generated fleet of 1000 pools over 30 days
    When I run "tapscale run --inputs INPUTS --out OUT --no-events --threads 2"
    Then the file "report.html" is at most 20 MB
    When I open "report.html" in a browser without network
    Then the page has no console error and no failed request
    And the overview lists 1000 pools, worst first
    And 50 pools are drawn in detail and the page says the other 950 are listed only

  Scenario: The what-if simulates a pool again in the page, with the CLI's numbers
    # The report carries the simulator as WebAssembly; moving a slider runs
    # it on the pool's own demand (a minute month: 43,200 steps of the
    # threshold policy) and must give what simulate --set gives.
    Given the bundled example "origin"
    When I run "tapscale run --inputs INPUTS --out OUT"
    And I open "report.html" in a browser without network
    And I wait for the what-if of "meta-llama/Llama-3.1-8B-Instruct"
    Then the what-if of "meta-llama/Llama-3.1-8B-Instruct" gives what "tapscale simulate --inputs INPUTS" gives
    When I move the what-if slider "cooldown_s" of "meta-llama/Llama-3.1-8B-Instruct" to "300"
    Then the what-if of "meta-llama/Llama-3.1-8B-Instruct" gives what "tapscale simulate --inputs INPUTS --set autoscaling.cooldown_s=300" gives
    When I move the what-if slider "min_instances_per_model" of "meta-llama/Llama-3.1-8B-Instruct" to "12"
    Then the what-if of "meta-llama/Llama-3.1-8B-Instruct" gives what "tapscale simulate --inputs INPUTS --set autoscaling.cooldown_s=300 --set autoscaling.min_instances_per_model=12" gives
    And the page has no console error and no failed request
    And I save a screenshot as "whatif-origin"

  Scenario: The what-if of an HPA pool follows its tolerance and stabilization window
    Given the bundled example "azure"
    When I run "tapscale run --inputs INPUTS --out OUT --set autoscaling.policy=hpa"
    And I open "report.html" in a browser without network
    And I wait for the what-if of "Qwen/Qwen2.5-7B-Instruct"
    When I move the what-if slider "hpa.downscale_stabilization_s" of "Qwen/Qwen2.5-7B-Instruct" to "0"
    And I move the what-if slider "target_utilization_pct" of "Qwen/Qwen2.5-7B-Instruct" to "90"
    Then the what-if of "Qwen/Qwen2.5-7B-Instruct" gives what "tapscale simulate --inputs INPUTS --set autoscaling.policy=hpa --set autoscaling.hpa.downscale_stabilization_s=0 --set autoscaling.target_utilization_pct=90" gives
    And the page has no console error and no failed request

  Scenario: The what-if of a pool scaling on vLLM's KV cache reads its latency profile as the CLI does
    # m1 of the latency fixture scales on vllm:kv_cache_usage_perc: the KV
    # cache it holds comes from its profile (Little's law), so the page
    # carries the profile with the pool and must match simulate.
    Given the inputs "latency"
    And the file "operator/public_tap.yaml" ends with:
      """
      models:
        m1:
          autoscaling:
            policy: hpa
            hpa:
              metric: {name: vllm:kv_cache_usage_perc, target: 0.3}
      """
    When I run "tapscale run --inputs INPUTS --out OUT"
    And I open "report.html" in a browser without network
    And I wait for the what-if of "m1"
    Then the what-if of "m1" gives what "tapscale simulate --inputs INPUTS" gives
    When I move the what-if slider "min_instances_per_model" of "m1" to "2"
    Then the what-if of "m1" gives what "tapscale simulate --inputs INPUTS --set autoscaling.min_instances_per_model=2" gives
    And the page has no console error and no failed request
