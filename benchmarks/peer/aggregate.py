#!/usr/bin/env python3
"""Combines the raw JSON lines of compare.sh into ratios.json and ratios.md.

Raw files are named r<round>-<group>-<side>.jsonl with side tinyautograd or torch. Each workload's time on each side is
the median over rounds of that round's median_seconds; speedup = torch_seconds / tinyautograd_seconds (above 1: the
library is faster). The tape chain also yields one row per phase (fwd_nograd, fwd_tape, bwd_only), from the peer's
us_per_op_* fields, and the Hessian-vector rows carry both sides' ratio_to_grad and our peak tensor memory (the peer
does not measure its own).
"""
import argparse
import glob
import json
import os
import re
import statistics

SIDES = ("tinyautograd", "torch")
GROUP_ORDER = ("matmul", "elementwise", "logsumexp", "mlp", "tape", "hvp", "toy", "membw", "conv", "cnn", "lstm",
               "transformer")   # torch_peer.py's order
TAPE = "tape_scalar_chain_10000iters"
TAPE_PHASES = ("fwd_nograd", "fwd_tape", "bwd_only")


def load(raw_dir):
    """{side: {workload: [record per round]}}, {side: env record of the first round}, workload order, groups."""
    records = {side: {} for side in SIDES}
    envs, order, groups = {}, [], {}
    probes = []
    pattern = re.compile(r"r(\d+)-(.+)-(tinyautograd|torch)\.jsonl$")
    def key(path):
        m = pattern.search(path)
        group = m.group(2)
        rank = GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)
        return int(m.group(1)), rank, group, m.group(3)

    files = sorted(glob.glob(os.path.join(raw_dir, "*.jsonl")), key=key)
    for path in files:
        side = pattern.search(path).group(3)
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                rec = json.loads(line)
                name = rec["name"]
                if name == "env":
                    envs.setdefault(side, rec)
                    if rec.get("probe"):
                        probes.append(rec["probe"])
                    continue
                if name == "summary":
                    continue
                for row in expand(rec):
                    records[side].setdefault(row["name"], []).append(row)
                    groups.setdefault(row["name"], rec.get("group"))
                    if row["name"] not in order and side == "torch":
                        order.append(row["name"])
    for side in SIDES:
        for name in records[side]:
            if name not in order:
                order.append(name)
    if probes:
        envs["probe"] = {key: statistics.median(p[key] for p in probes if key in p) for key in probes[0]}
    return records, envs, order, groups


def expand(rec):
    """The record itself, plus one row per tape phase."""
    rows = [rec]
    if rec["name"] == TAPE:
        for phase in TAPE_PHASES:
            per_op = rec.get(f"us_per_op_{phase}")
            if per_op is not None:
                rows.append({"name": f"{TAPE}:{phase}", "median_seconds": per_op * rec["ops"] / 1e6,
                             "other_cpu_frac": rec.get("other_cpu_frac")})
    return rows


def median_of(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return float(f"{statistics.median(values):.8g}") if values else None


def combine(records, order, groups, threads):
    out = []
    for name in order:
        ours = records["tinyautograd"].get(name, [])
        theirs = records["torch"].get(name, [])
        entry = {"workload": name, "group": groups.get(name), "threads": threads,
                 "tinyautograd_seconds": median_of(ours, "median_seconds"),
                 "torch_seconds": median_of(theirs, "median_seconds")}
        t, p = entry["tinyautograd_seconds"], entry["torch_seconds"]
        entry["speedup"] = round(p / t, 3) if t and p else None
        entry["rounds"] = min(len(ours), len(theirs))
        arenas = {r.get("arena") for r in records["tinyautograd"].get(name.split(":")[0], []) if "arena" in r}
        if arenas:
            entry["tinyautograd_arena"] = arenas.pop() if len(arenas) == 1 else None
        if any("ratio_to_grad" in r for r in ours + theirs):
            entry["tinyautograd_ratio_to_grad"] = median_of(ours, "ratio_to_grad")
            entry["torch_ratio_to_grad"] = median_of(theirs, "ratio_to_grad")
        if any("peak_ratio_to_grad" in r for r in ours):
            entry["tinyautograd_peak_kb"] = median_of(ours, "peak_kb")
            entry["tinyautograd_peak_ratio_to_grad"] = median_of(ours, "peak_ratio_to_grad")
        for share in ("pct_of_peak", "pct_of_bandwidth"):
            if any(share in r for r in ours):
                entry[f"tinyautograd_{share}"] = median_of(ours, share)
        if any("speedup_over_1_thread" in r for r in ours):
            entry["tinyautograd_speedup_over_1_thread"] = median_of(ours, "speedup_over_1_thread")
        others = [r.get("other_cpu_frac") for r in ours + theirs if r.get("other_cpu_frac") is not None]
        if others:
            entry["max_other_cpu_frac"] = max(others)
        pending = [r for r in ours if r.get("status") == "pending"]
        if pending:
            entry["note"] = "pending: " + pending[0].get("reason", "")
        elif t is None:
            entry["note"] = "no TinyAutograd counterpart"
        elif p is None:
            entry["note"] = "no PyTorch counterpart"
        if name == TAPE:
            entry["tinyautograd_grad"] = median_of(ours, "grad")
            entry["torch_grad"] = median_of(theirs, "grad")
            entry["grad_expected"] = median_of(ours, "grad_expected")
        out.append(entry)
    return out


def fmt_seconds(s):
    if s is None:
        return "—"
    if s >= 1:
        return f"{s:.3g} s"
    if s >= 1e-3:
        return f"{s * 1e3:.3g} ms"
    return f"{s * 1e6:.3g} µs"


def markdown(rows, envs, threads):
    ours, theirs = envs.get("tinyautograd", {}), envs.get("torch", {})
    cpu = ours.get("cpu") or (theirs.get("cpu") or {}).get("model name")
    lines = [
        f"# TinyAutograd vs PyTorch, {threads} thread(s)",
        "",
        f"- Model name: {cpu}; logical CPUs: {ours.get('logical_cpus', theirs.get('logical_cpus'))}",
        f"- TinyAutograd: {ours.get('runtime')}, Vector512 {ours.get('vector512_accelerated')}, "
        f"GEMM kernel {ours.get('gemm_kernel')}, "
        f"arena: {ours.get('arena')} (workloads run inside a TensorArena are marked ‡)",
        f"- PyTorch: {theirs.get('torch_version')} (Debian {theirs.get('debian_python3_torch')}), "
        f"sgemm: {theirs.get('sgemm_provider')}, ATen: {theirs.get('aten_cpu_capability')}",
    ] + probe_lines(envs.get("probe")) + [
        f"- float32; each time is the median over rounds of a median over repeats; "
        f"speedup = PyTorch time / TinyAutograd time (above 1: TinyAutograd is faster)",
        "",
        "| workload | TinyAutograd | PyTorch | speedup | notes |",
        "|---|---:|---:|---:|---|",
    ]
    for r in rows:
        notes = []
        if r.get("tinyautograd_ratio_to_grad") is not None and r.get("torch_ratio_to_grad") is not None:
            notes.append(f"cost ÷ grad: ours {r['tinyautograd_ratio_to_grad']:.3g}, torch {r['torch_ratio_to_grad']:.3g}")
        if r.get("tinyautograd_peak_ratio_to_grad") is not None:
            notes.append(f"peak tensor memory: ours {r['tinyautograd_peak_kb']:.0f} KB, "
                         f"{r['tinyautograd_peak_ratio_to_grad']:.3g}× grad's")
        if r.get("tinyautograd_pct_of_peak") is not None:
            notes.append(f"{r['tinyautograd_pct_of_peak']:.3g}% of the probe's FMA peak")
        if r.get("tinyautograd_pct_of_bandwidth") is not None:
            notes.append(f"{r['tinyautograd_pct_of_bandwidth']:.3g}% of the probe's bandwidth")
        if r.get("tinyautograd_speedup_over_1_thread") is not None:
            notes.append(f"ours over our 1 thread: {r['tinyautograd_speedup_over_1_thread']:.3g}× (paired runs)")
        if "tinyautograd_grad" in r:
            notes.append(f"grad ours {r['tinyautograd_grad']:.7g}, torch {r['torch_grad']:.7g}, exact {r['grad_expected']:.7g}")
        if r.get("note"):
            notes.append(r["note"])
        if (r.get("max_other_cpu_frac") or 0) > 0.10:
            notes.append(f"contended (other CPU {r['max_other_cpu_frac']:.2f})")
        speed = f"{r['speedup']:.2f}×" if r["speedup"] is not None else "—"
        mark = " ‡" if r.get("tinyautograd_arena") else ""
        lines.append(f"| {r['workload']}{mark} | {fmt_seconds(r['tinyautograd_seconds'])} | "
                     f"{fmt_seconds(r['torch_seconds'])} | {speed} | {'; '.join(notes)} |")
    return "\n".join(lines) + "\n"


def probe_lines(probe):
    """The machine probe's figures (median over the runner's rounds), as header lines."""
    if not probe:
        return []
    return [
        f"- Machine probe (TinyAutograd runner, median over rounds): FMA peak float32 "
        f"{probe['peak_gflops_fp32_per_core']:.4g} GFLOPS per core, {probe['peak_gflops_fp32']:.4g} on all "
        f"{probe['cores']:.0f} cores; float64 {probe['peak_gflops_fp64_per_core']:.4g} per core, "
        f"{probe['peak_gflops_fp64']:.4g} on all ({probe['vector_bits']:.0f}-bit vectors); memory read "
        f"{probe['read_gbps']:.4g} GB/s, copy {probe['copy_gbps']:.4g} GB/s (read + written)",
        f"- % of peak is against {probe['peak_gflops_fp32_run']:.4g} GFLOPS float32 for this run's threads; "
        f"% of bandwidth against the copy figure for rows that write, the read figure for rows that only read",
    ]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--raw", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--json", required=True)
    p.add_argument("--markdown", required=True)
    a = p.parse_args()
    records, envs, order, groups = load(a.raw)
    rows = combine(records, order, groups, a.threads)
    with open(a.json, "w") as f:
        json.dump(rows, f, indent=2)
        f.write("\n")
    with open(a.markdown, "w") as f:
        f.write(markdown(rows, envs, a.threads))


if __name__ == "__main__":
    main()
