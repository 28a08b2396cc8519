"""tapscale from Python: plan, simulate and tune LLM-inference GPU pools.

Two ways in, both on the C library (libtapscale) and both giving exactly
what the command line gives for the same inputs:

    fleet = tapscale.load("examples/origin")          # an inputs folder
    fleet = tapscale.pool(rate, tau_s=60, tps_eff=956.48, price_hr=1.95)

    fleet.plan()        # per pool: the GPU and the instances the peak needs
    fleet.simulate()    # per pool: the KPIs and cost of its autoscaler
    fleet.tune("hpa")   # per pool: the cheapest setting meeting the level

rate is a list or a numpy array of tokens/hour. Settings are the keys of
public_tap.yaml's autoscaling section, as `tapscale run --set` takes them:
{"policy": "hpa", "target_utilization_pct": 70, "hpa.tolerance": 0.05}.
Bad input raises InputError with every message; results are plain dicts
(and numpy arrays for the steps, when numpy is there).
"""
from ._native import ffi, lib

__all__ = ["InputError", "Fleet", "load", "pool", "version", "plan", "simulate", "tune"]

_OBJECTIVES = {"cost": lib.TS_MINIMIZE_COST, "gpu_hours": lib.TS_MINIMIZE_GPU_HOURS, "events": lib.TS_MINIMIZE_EVENTS}


class InputError(ValueError):
    """Bad input: .messages holds every problem, as the CLI prints them."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages) or "invalid input")


def version():
    """The library's version string."""
    return ffi.string(lib.ts_version()).decode()


def _s(p):
    return ffi.string(p).decode() if p != ffi.NULL else None


def _messages(d, kind=None):
    buf = ffi.new("char[]", 4096)
    out = []
    for i in range(d.n):
        if kind is None or d.items[i].kind == kind:
            out.append(ffi.string(lib.ts_diag_format(ffi.addressof(d.items[i]), buf, 4096)).decode())
    return out


class _Diags:
    """A ts_diags for one call: raises on failure, keeps the warnings."""

    def __enter__(self):
        self.d = ffi.new("ts_diags *")
        lib.ts_diags_init(self.d)
        return self

    def check(self, st):
        if st == lib.TS_ENOMEM or self.d.oom:
            raise MemoryError("tapscale: out of memory")
        if st != lib.TS_OK:
            raise InputError(_messages(self.d, lib.TS_DIAG_ERROR))

    def __exit__(self, *exc):
        lib.ts_diags_free(self.d)
        return False


def _yaml(value):
    """A Python value as the YAML text ts_policy_set reads."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join("%s: %s" % (k, _yaml(v)) for k, v in value.items()) + "}"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _policy(settings):
    """A ts_policy: the defaults with settings laid over them."""
    p = ffi.new("ts_policy *")
    lib.ts_policy_defaults(p)
    _lay(p, settings or {})
    return p


def _doubles(rate):
    """A C array of the rates (numpy arrays without a copy when contiguous)."""
    try:
        import numpy as np
    except ImportError:
        np = None
    if np is not None and isinstance(rate, np.ndarray):
        a = np.ascontiguousarray(rate, dtype=np.float64)
        return ffi.from_buffer("double[]", a), len(a), a
    values = [float(v) for v in rate]
    return ffi.new("double[]", values), len(values), None


def _kpis(k):
    q = k.queue
    d = _kpis_plain(k, q)
    if k.latency.has:  # a latency profile and an slo: (docs/latency.md)
        la = k.latency
        d.update({"ttft_p95_ms": la.ttft_ms[1], "ttft_p99_ms": la.ttft_ms[2], "itl_p95_ms": la.itl_ms[1],
                  "itl_p99_ms": la.itl_ms[2], "slo_minutes": la.slo_minutes,
                  "beyond_profile_minutes": la.beyond_minutes})
    return d


def _kpis_plain(k, q):
    return {
        "steps": k.steps,
        "scale_events": k.scale_events,
        "avg_util_pct": k.avg_util_pct,
        "p95_util_pct": k.p95_util_pct,
        "violations": k.violations,
        "violation_minutes": k.violation_minutes,
        "unserved_tokens": k.unserved_tokens,
        "replica_hours": k.replica_hours,
        "gpu_hours": k.gpu_hours,
        "max_replicas": k.max_replicas,
        "floor_replicas": k.floor_replicas,
        "queue_delay_p50_s": q.delay_p50_s,
        "queue_delay_p95_s": q.delay_p95_s,
        "queue_delay_p99_s": q.delay_p99_s,
        "queue_delay_max_s": q.delay_max_s,
        "max_backlog_tokens": q.max_backlog_tokens,
        "delayed_minutes": q.delayed_minutes,
        "dropped_tokens": q.dropped_tokens,
        "left_tokens": q.left_tokens,
    }


def _steps(r):
    cols = {"t_s": [], "demand": [], "ready": [], "warming": [], "capacity": [], "util_pct": []}
    for i in range(r.n_steps):
        s = r.steps[i]
        cols["t_s"].append(s.t_s)
        cols["demand"].append(s.demand)
        cols["ready"].append(s.ready)
        cols["warming"].append(s.warming)
        cols["capacity"].append(s.capacity)
        cols["util_pct"].append(s.util_pct if s.util_defined else float("nan"))
    try:
        import numpy as np
    except ImportError:
        return cols
    return {k: np.asarray(v) for k, v in cols.items()}


class Fleet:
    """The inputs of one run (ts_inputs): a folder's pools, or one pool."""

    def __init__(self, handle):
        self._in = handle
        self.warnings = _messages(handle.warnings)

    def __del__(self):
        if getattr(self, "_in", None) is not None:
            lib.ts_inputs_free(self._in)
            self._in = None

    @property
    def models(self):
        """The model ids with demand, sorted."""
        return [_s(self._in.demand[i].model) for i in range(self._in.n_demand)]

    @property
    def currency(self):
        return _s(self._in.currency)

    def _plan(self):
        pp = ffi.new("ts_plan **")
        if lib.ts_plan_build(self._in, pp) != lib.TS_OK:
            raise MemoryError("tapscale: out of memory")
        return ffi.gc(pp[0], lib.ts_plan_free)

    def _pool_names(self, plan, i):
        row = plan.rows[i]
        c = self._in.cand[row.cand_index]
        return {"model": _s(self._in.demand[row.demand_index].model), "gpu": _s(c.gpu), "gpu_count": c.gpu_count}

    def plan(self):
        """Per pool (model with demand): g*, its throughput and price, and
        the planner's figures, as public_tap_capacity_plan.csv has them."""
        plan = self._plan()
        out = []
        for i in range(plan.n):
            row = plan.rows[i]
            c = self._in.cand[row.cand_index]
            r = row.r
            d = self._pool_names(plan, i)
            d.update({
                "tps_eff": c.tps_eff,
                "price_hr": c.instance_price_hr if c.has_price else None,
                "cost_per_1m_tokens": c.cost_per_1m if c.has_price else None,
                "avg_tokens_per_hour": r.avg_tokens_per_hour,
                "peak_tokens_per_hour": r.peak_tokens_per_hour,
                "cap_tokens_per_hour_per_instance": r.cap_tokens_per_hour_per_instance,
                "instances_needed": r.instances_needed,
                "capacity_violation": bool(r.capacity_violation),
            })
            out.append(d)
        return out

    def simulate(self, settings=None, steps=False, threads=0):
        """Per pool: the KPIs of its autoscaler over its demand, with the
        queue, the ideal and the fixed fleet, and costs per 30-day month
        (None without a price), as consolidated_kpis.csv has them. settings
        lays autoscaling keys over every pool's policy; steps=True adds
        "timeline": each step's time, demand, ready and warming replicas,
        capacity and utilization (numpy arrays, or lists without numpy)."""
        plan = self._plan()
        keep = []
        opt = ffi.new("ts_sim_options *")
        opt.threads = threads
        opt.keep_steps = 1 if steps else 0
        if settings:
            pols = ffi.new("ts_policy *[]", plan.n)
            for i in range(plan.n):
                base = lib.ts_inputs_policy(self._in, plan.rows[i].demand_index)
                p = ffi.new("ts_policy *", base[0])
                _lay(p, settings)
                keep.append(p)
                pols[i] = p
            opt.policies = ffi.cast("const ts_policy *const *", pols)
            keep.append(pols)
        rp = ffi.new("ts_sim_results **")
        st = lib.ts_simulate_plan(self._in, plan, opt, rp)
        if st != lib.TS_OK:
            raise MemoryError("tapscale: out of memory") if st == lib.TS_ENOMEM else RuntimeError("tapscale: %d" % st)
        res = ffi.gc(rp[0], lib.ts_sim_results_free)
        out = []
        for i in range(res.n):
            r = res.pools[i]
            rp_i = res.pools + i

            def month(v, rp_i=rp_i):
                return lib.ts_per_month(rp_i, v)

            d = self._pool_names(plan, i)
            d["policy"] = _s(lib.ts_policy_type_name(r.policy.type))
            d.update(_kpis(r.kpis))
            d.update({
                "horizon_hours": r.hours,
                "cost": r.cost if r.has_cost else None,
                "cost_per_month": month(r.cost) if r.has_cost else None,
                "ideal_gpu_hours": r.ideal_gpu_hours,
                "ideal_cost_per_month": month(r.ideal_cost) if r.has_cost else None,
                "fixed_replicas": r.bounds.fixed_replicas,
                "fixed_gpu_hours": r.fixed_gpu_hours,
                "fixed_cost_per_month": month(r.fixed_cost) if r.has_cost else None,
                "unservable_steps": r.bounds.unservable_steps,
            })
            if steps:
                d["timeline"] = _steps(r)
            out.append(d)
        return out

    def tune(self, policy=None, space=None, max_violation_minutes=0.0, max_unserved_pct=None,
             minimize="cost", budget=0, seed=0, threads=0):
        """Per pool: the cheapest setting of policy (its default grid, or
        space: {key: [values]} or the YAML text of a --space file) meeting
        the service level, as `tapscale tune` finds it. Each pool's dict
        has "winner" (the setting, {key: value text}, or None when no
        setting meets the level), "closest" (the best setting all the
        same), its KPIs and cost, and the counts evaluated and skipped."""
        if minimize not in _OBJECTIVES:
            raise InputError(["minimize is %r (expected one of: %s)" % (minimize, ", ".join(_OBJECTIVES))])
        name = policy or _s(lib.ts_policy_type_name(self._in_policy_type()))
        t = lib.ts_policy_type_find(name.encode())
        if t == ffi.NULL:
            raise InputError(["unknown policy %r" % name])
        sp = _space(t, space)
        o = ffi.new("ts_tune_options *")
        o.max_violation_minutes = max_violation_minutes
        o.has_max_unserved_pct = max_unserved_pct is not None
        o.max_unserved_pct = max_unserved_pct or 0.0
        o.minimize = _OBJECTIVES[minimize]
        o.budget = budget
        o.seed = seed
        o.threads = threads
        plan = self._plan()
        rp = ffi.new("ts_tune_result **")
        if lib.ts_tune(self._in, plan, sp, o, rp) != lib.TS_OK:
            raise MemoryError("tapscale: out of memory")
        res = ffi.gc(rp[0], lib.ts_tune_result_free)
        return [self._tuned(plan, sp, res.pools[i], i) for i in range(res.n)]

    def _in_policy_type(self):
        return lib.ts_inputs_policy(self._in, 0).type if self._in.n_demand else lib.ts_policy_type_find(b"threshold")

    def _tuned(self, plan, sp, tp, i):
        def setting(k):
            if k < 0:
                return None
            at = tp.cand[k].at
            return {_s(sp.axes[a].key): _s(sp.axes[a].values[at[a]]) for a in range(sp.n)}

        best = tp.cand[tp.closest] if tp.closest >= 0 else tp.current_result
        priced = self._in.cand[plan.rows[i].cand_index].has_price
        d = self._pool_names(plan, i)
        d.update({
            "policy": _s(lib.ts_policy_type_name(sp.type)),
            "winner": setting(tp.winner),
            "closest": setting(tp.closest),
            "meets_level": tp.winner >= 0,
            "cost": best.cost if priced else None,
            "cost_per_month": best.cost * 720.0 / tp.hours if priced and tp.hours > 0 else None,
            "unserved_pct": best.unserved_pct,
            "evaluated": tp.n - tp.invalid,
            "skipped": tp.invalid,
            "exhaustive": bool(tp.exhaustive),
            "horizon_hours": tp.hours,
            "current": _kpis(tp.current_result.kpis),
        })
        d.update(_kpis(best.kpis))
        return d


def _lay(p, settings):
    """Sets each autoscaling key of settings on p, then checks p; raises
    InputError with every problem."""
    with _Diags() as dg:
        st = lib.TS_OK
        for key, value in settings.items():
            r = lib.ts_policy_set(p, key.encode(), _yaml(value).encode(), b"settings", dg.d)
            st = r if st == lib.TS_OK else st
        if st == lib.TS_OK:
            st = lib.ts_policy_check(p, dg.d)
        dg.check(st)


def _space(t, space):
    pp = ffi.new("ts_tune_space **")
    with _Diags() as dg:
        if space is None:
            dg.check(lib.ts_tune_space_default(t, pp, dg.d))
        elif isinstance(space, str):
            text = space.encode()
            dg.check(lib.ts_tune_space_read(t, b"space", text, len(text), pp, dg.d))
        else:
            text = "".join("%s: %s\n" % (k, _yaml(list(v) if isinstance(v, (list, tuple)) else v))
                           for k, v in space.items()).encode()
            dg.check(lib.ts_tune_space_read(t, b"space", text, len(text), pp, dg.d))
    return ffi.gc(pp[0], lib.ts_tune_space_free)


def load(inputs, seed=None, set=None, manifests=(), threads=0):
    """The inputs folder inputs, as `tapscale run --inputs` reads it, with
    set ({"autoscaling.KEY": value} or ["autoscaling.KEY=VALUE"], as --set
    takes them) and manifests (as --manifest) laid over it. Raises
    InputError with every problem."""
    o = ffi.new("ts_load_options *")
    keep = [ffi.new("char[]", str(inputs).encode())]
    o.dir = keep[0]
    if seed is not None:
        o.has_seed = 1
        o.seed = seed
    pairs = ["%s=%s" % (k, _yaml(v)) for k, v in set.items()] if isinstance(set, dict) else list(set or [])
    if pairs:
        cs = [ffi.new("char[]", s.encode()) for s in pairs]
        arr = ffi.new("char *[]", cs)
        keep += cs + [arr]
        o.set = ffi.cast("const char *const *", arr)
        o.n_set = len(cs)
    if manifests:
        ms = [ffi.new("char[]", str(m).encode()) for m in manifests]
        arr = ffi.new("char *[]", ms)
        keep += ms + [arr]
        o.manifests = ffi.cast("const char *const *", arr)
        o.n_manifests = len(ms)
    o.threads = threads
    pp = ffi.new("ts_inputs **")
    with _Diags() as dg:
        dg.check(lib.ts_inputs_load(o, pp, dg.d))
    return Fleet(pp[0])


def pool(rate, tps_eff, tau_s=60, model=None, gpu=None, gpu_count=1, price_hr=None, currency=None,
         start=0, seed=0, settings=None):
    """One pool: demand rate (tokens/hour, one value per tau_s seconds from
    unix time start) served by instances of gpu_count GPUs doing tps_eff
    tokens/s at 100 % busy, at price_hr per instance-hour (None: no price),
    run by the default policy with settings laid over it."""
    p = _policy(settings)
    arr, n, hold = _doubles(rate)
    keep = [arr, hold]
    spec = ffi.new("ts_pool_spec *")
    for name, value in (("model", model), ("gpu", gpu), ("currency", currency)):
        if value is not None:
            c = ffi.new("char[]", value.encode())
            keep.append(c)
            setattr(spec, name, c)
    spec.rate = arr
    spec.n = n
    spec.tau_s = tau_s
    spec.start = start
    spec.gpu_count = gpu_count
    spec.tps_eff = tps_eff
    spec.has_price = price_hr is not None
    spec.price_hr = price_hr or 0.0
    spec.seed = seed
    pp = ffi.new("ts_inputs **")
    with _Diags() as dg:
        dg.check(lib.ts_inputs_of_pool(spec, p, pp, dg.d))
    del keep
    return Fleet(pp[0])


def plan(rate, tps_eff, **kw):
    """pool(rate, tps_eff, **kw).plan()[0]: the one pool's plan."""
    return pool(rate, tps_eff, **kw).plan()[0]


def simulate(rate, tps_eff, steps=False, **kw):
    """pool(rate, tps_eff, **kw).simulate()[0]: the one pool's KPIs."""
    return pool(rate, tps_eff, **kw).simulate(steps=steps)[0]


def tune(rate, tps_eff, policy=None, space=None, max_violation_minutes=0.0, max_unserved_pct=None,
         minimize="cost", budget=0, **kw):
    """pool(rate, tps_eff, **kw).tune(...)[0]: the one pool's best setting."""
    return pool(rate, tps_eff, **kw).tune(policy, space, max_violation_minutes, max_unserved_pct, minimize, budget)[0]
