"""What to rent, from Python: a notebook-style walk through one inputs folder.

    PYTHONPATH=build/python python3 python/examples/what_to_rent.py [examples/origin]

Each "# %%" cell runs as it is in a notebook (Jupyter, VS Code) too.
"""
# %% Load the folder and see what the planner picks
import sys

import tapscale

inputs = sys.argv[1] if len(sys.argv) > 1 else "examples/origin"
fleet = tapscale.load(inputs)
for p in fleet.plan():
    print("%-36s %-5s x%d  plan %3d  cost/1M tokens %s" % (
        p["model"], p["gpu"], p["gpu_count"], p["instances_needed"],
        "%.4f" % p["cost_per_1m_tokens"] if p["cost_per_1m_tokens"] is not None else "n/a"))

# %% Simulate the folder's autoscaler through the month
kpis = fleet.simulate(steps=True)
for k in kpis:
    print("%-36s events %4d  avg %5.1f %%  violation-min %6.1f  cost/month %s" % (
        k["model"], k["scale_events"], k["avg_util_pct"], k["violation_minutes"],
        "%.2f" % k["cost_per_month"] if k["cost_per_month"] is not None else "n/a"))
priced = [k["cost_per_month"] for k in kpis if k["cost_per_month"] is not None]
print("fleet cost per month: %.2f %s" % (sum(priced), fleet.currency or ""))

# %% The busiest hour of the first pool, from its steps (numpy arrays)
st = kpis[0]["timeline"]
busiest = int(st["demand"].argmax())
print("%s: peak demand %.0f tokens/hour at t = %.0f s, %d replicas ready" % (
    kpis[0]["model"], st["demand"][busiest], st["t_s"][busiest], st["ready"][busiest]))

# %% Sweep one setting: the HPA's target utilization, every pool at once
best = None
for target in (50, 60, 70, 80, 90):
    rows = fleet.simulate(settings={"policy": "hpa", "target_utilization_pct": target})
    cost = sum(r["cost_per_month"] for r in rows if r["cost_per_month"] is not None)
    viol = sum(r["violation_minutes"] for r in rows)
    print("hpa target %2d %%: cost/month %10.2f  violation-minutes %6.1f" % (target, cost, viol))
    if viol == 0 and (best is None or cost < best[1]):
        best = (target, cost)
if best:
    print("cheapest hpa target without violations: %d %% (%.2f a month)" % best)
else:
    print("cheapest hpa target without violations: none of these")
