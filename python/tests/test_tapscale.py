"""The Python binding against the command line: the same inputs give the same
numbers, bit for bit (the CSV files print each double's shortest round trip,
so float() of a cell is the double the CLI computed).

Run from the repository: PYTHONPATH=build/python python3 -m pytest python/tests
(TAPSCALE_BIN names the CLI; default build/tapscale).
"""
import csv
import math
import os
import subprocess
import sys

import numpy as np
import pytest

import tapscale

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("TAPSCALE_BIN", os.path.join(ROOT, "build", "tapscale"))
ORIGIN = os.path.join(ROOT, "examples", "origin")
AZURE = os.path.join(ROOT, "examples", "azure")


def cli(tmp_path, *args):
    out = tmp_path / "out"
    subprocess.run([BIN, *args, "--out", str(out)], check=True, capture_output=True)
    return out


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_plan_equals_the_cli(tmp_path):
    out = cli(tmp_path, "plan", "--inputs", ORIGIN)
    want = rows(out / "public_tap_capacity_plan.csv")
    got = tapscale.load(ORIGIN).plan()
    assert [r["model"] for r in got] == [w["model"] for w in want]
    for g, w in zip(got, want):
        assert g["gpu"] == w["gpu"]
        assert g["instances_needed"] == int(w["instances_needed"])
        assert g["peak_tokens_per_hour"] == float(w["peak_tokens_per_hour"])
        assert g["cap_tokens_per_hour_per_instance"] == float(w["cap_tokens_per_hour_per_instance"])


def test_simulate_equals_the_cli(tmp_path):
    out = cli(tmp_path, "simulate", "--inputs", ORIGIN)
    want = rows(out / "consolidated_kpis.csv")
    got = tapscale.load(ORIGIN).simulate()
    assert len(got) == len(want) == 3
    for g, w in zip(got, want):
        assert g["model"] == w["model"]
        for key in ("avg_util_pct", "p95_util_pct", "violation_minutes", "unserved_tokens", "replica_hours",
                    "gpu_hours", "ideal_gpu_hours", "fixed_gpu_hours", "queue_delay_p99_s"):
            assert g[key] == float(w[key]), key
        for key in ("scale_events", "violations", "max_replicas", "floor_replicas", "fixed_replicas"):
            assert g[key] == int(w[key]), key
        if w["cost_per_month"]:
            assert g["cost_per_month"] == float(w["cost_per_month"])
            assert g["fixed_cost_per_month"] == float(w["fixed_cost_per_month"])
        else:
            assert g["cost_per_month"] is None  # the 70B pool has no price


def test_settings_equal_the_cli_set(tmp_path):
    out = cli(tmp_path, "simulate", "--inputs", ORIGIN, "--set", "autoscaling.policy=hpa",
              "--set", "autoscaling.target_utilization_pct=60")
    want = rows(out / "consolidated_kpis.csv")
    got = tapscale.load(ORIGIN, set={"autoscaling.policy": "hpa", "autoscaling.target_utilization_pct": 60}).simulate()
    assert [g["policy"] for g in got] == ["hpa"] * 3
    assert [g["gpu_hours"] for g in got] == [float(w["gpu_hours"]) for w in want]
    # the same settings laid over the folder's policy at simulate()
    again = tapscale.load(ORIGIN).simulate(settings={"policy": "hpa", "target_utilization_pct": 60})
    assert [g["gpu_hours"] for g in again] == [g["gpu_hours"] for g in got]


def test_tune_equals_the_cli(tmp_path):
    out = cli(tmp_path, "tune", "--inputs", AZURE, "--policy", "hpa", "--max-violation-minutes", "3")
    winners = [r for r in rows(out / "tune_candidates.csv") if r["winner"] == "true"]
    got = tapscale.load(AZURE).tune("hpa", max_violation_minutes=3)
    assert len(got) == len(winners) == 2
    for g, w in zip(got, winners):
        assert g["model"] == w["model"]
        assert g["meets_level"]
        assert g["winner"] == {k: w[k] for k in g["winner"]}
        assert g["cost"] == float(w["cost"])
        assert g["cost_per_month"] == float(w["cost_per_month"])
        assert g["violation_minutes"] == float(w["violation_minutes"])
        assert g["evaluated"] == 300 and g["exhaustive"]


def test_latency_kpis_equal_the_cli(tmp_path):
    latency = os.path.join(ROOT, "tests", "fixtures", "latency")
    out = tmp_path / "out"
    subprocess.run([BIN, "simulate", "--inputs", latency, "--out", str(out)], capture_output=True)
    want = rows(out / "consolidated_kpis.csv")
    got = tapscale.load(latency).simulate()
    for g, w in zip(got, want):
        for key in ("ttft_p95_ms", "ttft_p99_ms", "itl_p95_ms", "slo_minutes", "beyond_profile_minutes"):
            assert g[key] == float(w[key]), key
    assert got[0]["slo_minutes"] == 43200  # m1: every minute over its 100 ms (docs/latency.md)


def test_any_thread_count_gives_the_same_result():
    one = tapscale.load(ORIGIN, threads=1).simulate(threads=1)
    two = tapscale.load(ORIGIN, threads=2).simulate(threads=2)
    assert one == two
    t1 = tapscale.load(AZURE).tune("kpa", budget=40, threads=1)
    t2 = tapscale.load(AZURE).tune("kpa", budget=40, threads=2)
    assert t1 == t2


# One pool from an array. 60 minutes at 3.6e6 tokens/hour on 100 tokens/s:
# a replica serves 360,000 tokens/hour at 100 %, 270,000 at the target 75;
# the peak 1.2 x 3.6e6 = 4.32e6 needs ceil(4.32e6 / 270,000) = 16.
FLAT = [3.6e6] * 60


def test_pool_plan_by_hand():
    p = tapscale.plan(FLAT, tps_eff=100, price_hr=2.0)
    assert p["instances_needed"] == 16
    assert p["cap_tokens_per_hour_per_instance"] == 270000
    assert p["cost_per_1m_tokens"] == 2.0 / 0.36


def test_pool_fixed_fleet_by_hand():
    # held at 16 from the first step: 16 replica-hours over the hour, 32.00
    # at 2.00 an hour, 720 times that a month; busy 10 of 16 (the peak step
    # needs 10 at 100 %, but the fixed fleet keeps the floor of 16).
    k = tapscale.simulate(FLAT, tps_eff=100, price_hr=2.0, settings={
        "min_instances_per_model": 16, "max_instances_per_model": 16})
    assert k["steps"] == 60
    assert k["replica_hours"] == 16
    assert k["cost"] == 32.0
    assert k["cost_per_month"] == 32.0 * 720
    assert k["violations"] == 0 and k["scale_events"] == 0
    assert k["avg_util_pct"] == pytest.approx(100 * 10 / 16)
    assert k["fixed_replicas"] == 16


def test_numpy_and_list_agree_and_steps():
    rate = np.linspace(1e6, 6e6, 240)
    a = tapscale.simulate(rate, tps_eff=100, steps=True, settings={"policy": "hpa"})
    b = tapscale.simulate(list(rate), tps_eff=100, settings={"policy": "hpa"})
    st = a.pop("timeline")
    assert a == b
    assert len(st["demand"]) == a["steps"] == 240 * 60 // 15  # the HPA steps every 15 s
    assert st["demand"][0] == rate[0]
    assert int(st["ready"].max()) <= a["max_replicas"]
    served = np.minimum(st["demand"], st["capacity"]) * 15 / 3600
    assert served.sum() + a["unserved_tokens"] == pytest.approx((st["demand"] * 15 / 3600).sum())


def test_pool_tune_with_a_space():
    # half an hour at 360,000 tokens/hour (1 replica at 100 %), then half an
    # hour at 3.5e6 (9.7 replicas). A floor of 4 holds 1.44e6 when the jump
    # comes, and replicas take 120 s to warm: violations. A floor of 10
    # serves 3.6e6 from the first step; 12 does too and costs 24.00 for the
    # hour against 10's 21.53: the floor of 10 wins.
    step = [0.36e6] * 30 + [3.5e6] * 30
    t = tapscale.tune(step, tps_eff=100, price_hr=2.0, policy="threshold",
                      space={"min_instances_per_model": [4, 10, 12], "max_instances_per_model": [12]})
    assert t["meets_level"]
    assert t["violation_minutes"] == 0
    assert t["winner"] == {"min_instances_per_model": "10", "max_instances_per_model": "12"}
    assert t["evaluated"] == 3


def test_bad_input_says_every_problem():
    with pytest.raises(tapscale.InputError) as e:
        tapscale.pool([1.0, -1.0], tps_eff=0, tau_s=0)
    msgs = e.value.messages
    assert "demand rate 1 is -1 (expected a number of tokens/hour of 0 or more)" in msgs
    assert "tps_eff is 0 (expected tokens/s per instance above 0)" in msgs
    assert any(m.startswith("tau_s is 0") for m in msgs)
    with pytest.raises(tapscale.InputError) as e:
        tapscale.pool(FLAT, tps_eff=100, settings={"cooldwn_s": 60})
    assert "did you mean" in str(e.value) and "cooldown_s" in str(e.value)
    with pytest.raises(tapscale.InputError) as e:
        tapscale.load(os.path.join(ROOT, "no-such-folder"))
    assert "no-such-folder/operator/public_tap.yaml" in str(e.value)
    with pytest.raises(tapscale.InputError):
        tapscale.load(ORIGIN).tune("hpa", minimize="speed")


def test_example_script_runs():
    script = os.path.join(ROOT, "python", "examples", "what_to_rent.py")
    r = subprocess.run([sys.executable, script, ORIGIN], capture_output=True, text=True, check=True)
    assert "Qwen/Qwen2.5-7B-Instruct" in r.stdout
    assert "cheapest hpa target without violations: 80 %" in r.stdout
    assert not math.isnan(float(r.stdout.split("fleet cost per month: ")[1].split()[0]))
