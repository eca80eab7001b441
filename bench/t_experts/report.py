"""Builds results.csv and results.md of bench/t_experts from run.sh's work dir.

Usage: python3 report.py WORK_DIR OUT_DIR MOE_BINARY
"""
import csv
import json
import math
import os
import statistics
import sys

work, out, moe = sys.argv[1], sys.argv[2], sys.argv[3]

machine = {}
with open(os.path.join(work, "machine.txt")) as f:
    for line in f:
        k, _, v = line.rstrip("\n").partition("=")
        machine[k] = v

with open(os.path.join(work, "manifest.tsv")) as f:
    runs = list(csv.DictReader(f, delimiter="\t"))

# Truth of the simulation: expert 1 (intercept +1), expert 2 (intercept -1);
# log-odds of expert 1 against expert 2 = 0 + 2 z; noise sd 0.5.
TRUTH = {1: [1.0, 2.0], 2: [-1.0, -1.5]}
TRUE_GATE = [0.0, 2.0]
REPORTED = [  # from the issue text; not measured here
    ("meteorits tMoE, best of 10 tries", "t", -550.36),
    ("meteorits NMoE", "gaussian", -537.24),
]


def fmt(v, d=4):
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.{d}f}"
    return str(v)


def cell(s):
    return str(s).replace("|", "\\|")


def command(r):
    data = r["data"]
    return (f"OPENBLAS_NUM_THREADS=1 $MOE fit --data {data} --family {r['family']} "
            f"--threads 1 --seed 1 {r['args']} -o {r['label']}.json")


rows = []
for r in runs:
    times = [float(t) for t in r["times"].split(";") if t]
    rec = {
        "label": r["label"], "section": r["section"], "data": r["data"],
        "family": r["family"], "args": r["args"], "rc": int(r["rc"]),
        "times_s": ";".join(f"{t:.2f}" for t in times),
        "time_median_s": statistics.median(times) if times else None,
        "command": command(r),
    }
    lls = r["logliks"].split(";") if r["logliks"] else []
    rec["same_loglik_all_runs"] = len(set(lls)) == 1 and len(lls) == len(times)
    if rec["rc"] == 0 and os.path.exists(r["json"]):
        d = json.load(open(r["json"]))
        e = d["experts"]
        rec.update({
            "loglik": d["loglik"], "df": d["df"], "bic": d["bic"], "aic": d.get("aic"),
            "converged": d.get("converged"), "iterations": d.get("iterations"),
            "boundary_warning": d.get("boundary_warning") or "",
            "search_warnings": " | ".join(d.get("search", {}).get("warnings", [])),
            "sigma": e.get("sigma"), "nu": e.get("nu"), "nu_fixed": e.get("nu_fixed"),
            "coef": e.get("coef"), "coef_names": e.get("names"),
            "gate": d.get("gate", {}).get("coef"),
            "best_init": d.get("search", {}).get("best_init"),
        })
        if r["section"].startswith("sim"):
            c = e["coef"]
            # expert 1 of the truth: the fitted expert whose intercept is closest to +1
            # (with K = 2 the other is expert 2; chosen by the joint distance)
            a = 0 if abs(c[0][0] - 1) + abs(c[1][0] + 1) <= abs(c[1][0] - 1) + abs(c[0][0] + 1) else 1
            b = 1 - a
            rec["match"] = (a, b)
            err = max(abs(c[a][j] - TRUTH[1][j]) for j in range(2))
            err = max(err, max(abs(c[b][j] - TRUTH[2][j]) for j in range(2)))
            rec["max_abs_coef_err"] = err
            g = d["gate"]["coef"]
            rec["gate_1v2"] = [g[a][j] - g[b][j] for j in range(2)]
            rec["max_abs_gate_err"] = max(abs(rec["gate_1v2"][j] - TRUE_GATE[j]) for j in range(2))
    rows.append(rec)
by = {r["label"]: r for r in rows}

def t_loglik_at(r, data, nu):
    """Log-likelihood of fit r's parameters with t experts of fixed nu."""
    d = json.load(open(os.path.join(work, r["label"] + ".json")))
    e, g = d["experts"], d["gate"]
    with open(os.path.join(work, data)) as f:
        recs = list(csv.DictReader(f))
    def design(rec, names):
        return [1.0 if n == "(Intercept)" else float(rec[n]) for n in names]
    c = math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2) - 0.5 * math.log(nu * math.pi)
    tot = 0.0
    for rec in recs:
        xr, zr, y = design(rec, e["names"]), design(rec, g["names"]), float(rec[d["response"]])
        eta = [sum(a * b for a, b in zip(gk, zr)) for gk in g["coef"]]
        m = max(eta)
        w = [math.exp(v - m) for v in eta]
        s = sum(w)
        p = 0.0
        for k, ck in enumerate(e["coef"]):
            u = (y - sum(a * b for a, b in zip(ck, xr))) / e["sigma"][k]
            p += w[k] / s * math.exp(c - math.log(e["sigma"][k]) - (nu + 1) / 2 * math.log1p(u * u / nu))
        tot += math.log(p)
    return tot


# ---- results.csv -------------------------------------------------------------
cols = ["label", "section", "data", "family", "args", "rc", "loglik", "df", "aic", "bic",
        "converged", "iterations", "boundary", "boundary_warning", "search_warnings",
        "sigma", "nu", "coef", "max_abs_coef_err", "gate_1v2", "max_abs_gate_err",
        "time_median_s", "times_s", "same_loglik_all_runs", "command"]
with open(os.path.join(out, "results.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for r in rows:
        out_r = dict(r)
        out_r["boundary"] = "yes" if r.get("boundary_warning") else "no"
        for k in ("sigma", "nu"):
            if r.get(k) is not None:
                out_r[k] = ";".join(f"{v:.6g}" for v in r[k])
        if r.get("coef") is not None:
            if "match" in r:  # matched order: truth expert 1, then expert 2
                out_r["coef"] = ";".join(f"{v:.6g}" for i in r["match"] for v in r["coef"][i])
            else:
                out_r["coef"] = ";".join(f"{v:.6g}" for row in r["coef"] for v in row)
        if r.get("gate_1v2") is not None:
            out_r["gate_1v2"] = ";".join(f"{v:.6g}" for v in r["gate_1v2"])
        w.writerow([fmt(out_r.get(c), 6) if isinstance(out_r.get(c), float) else out_r.get(c, "")
                    for c in cols])
    for name, fam, ll in REPORTED:
        w.writerow([name, "reported_in_issue_not_measured_here", "mcycle", fam, "", "", ll]
                   + [""] * (len(cols) - 7))

# ---- results.md --------------------------------------------------------------
L = []
L.append("# Student-t experts vs Gaussian experts (`--family t`)")
L.append("")
L.append(f"Measured {machine['date_utc']} on {machine['cpu']}, nproc {machine['nproc']} "
         f"({machine['kernel']}); binary `{machine['binary']}` "
         f"(sha256 {machine['binary_sha256'][:12]}…, at repo HEAD "
         f"{machine['git_head']}, {machine.get('tree', 'tree state unknown')}), "
         f"{machine['rscript']}.")
L.append("")
L.append(f"Every fit: `OPENBLAS_NUM_THREADS=1`, `--threads 1 --seed 1`, otherwise defaults "
         f"(30 starts, init mixed, EM, split-and-merge on). Time = wall time of the whole "
         f"`moe fit` process by `/usr/bin/time -f %e`, median of {machine['reps']} runs "
         f"(all runs listed in results.csv); the machine was shared with other work, so "
         f"differences under ~0.5 s are within noise. Reproduce: `bash bench/t_experts/run.sh /path/to/moe` "
         f"from the repository root.")
L.append("")

# mcycle
L.append("## 1. mcycle (MASS::mcycle, n = 133), K = 4, experts accel ~ times + times², gate ~ times")
L.append("")
bw_texts = []
for r in rows:
    b = r.get("boundary_warning")
    if b and b not in bw_texts:
        bw_texts.append(b)


def btag(r):
    b = r.get("boundary_warning")
    return f"yes (B{bw_texts.index(b) + 1})" if b else "no"


L.append("| fit | loglik | df | BIC | boundary warning | search warnings | time (s, median) | same loglik in all runs |")
L.append("|---|---:|---:|---:|---|---|---:|---|")
mc_labels = [r["label"] for r in rows if r["section"] in ("mcycle", "mcycle_extra")]
names = {
    "mcycle_gaussian": "moe gaussian (defaults)",
    "mcycle_t": "moe t (defaults)",
    "mcycle_gaussian_starts100": "moe gaussian `--starts 100` (supplementary)",
    "mcycle_t_starts100": "moe t `--starts 100` (supplementary)",
    "mcycle_gaussian_finite": "moe gaussian `--prefer-finite` (supplementary)",
    "mcycle_t_finite": "moe t `--prefer-finite` (supplementary)",
    "mcycle_gaussian_nosm": "moe gaussian `--no-split-merge` (supplementary)",
    "mcycle_t_nosm": "moe t `--no-split-merge` (supplementary)",
}
for lab in mc_labels:
    r = by[lab]
    if r["rc"] != 0:
        L.append(f"| {names.get(lab, lab)} | failed (rc {r['rc']}) | | | | | | |")
        continue
    L.append(f"| {names.get(lab, lab)} | {r['loglik']:.4f} | {r['df']} | {r['bic']:.4f} | "
             f"{btag(r)} | {cell(r['search_warnings'].replace(' | ', '; ')) or 'none'} | "
             f"{r['time_median_s']:.2f} | {'yes' if r['same_loglik_all_runs'] else 'NO'} |")
for name, fam, ll in REPORTED:
    L.append(f"| {name} — **reported in the issue, not measured here** | {ll:.2f} | | | | | | |")
L.append("")

g, t = by.get("mcycle_gaussian"), by.get("mcycle_t")
if g and t and g["rc"] == 0 and t["rc"] == 0:
    diff = t["loglik"] - g["loglik"]
    if diff >= 0:
        L.append(f"t loglik >= Gaussian loglik: **yes** ({t['loglik']:.4f} vs {g['loglik']:.4f}, "
                 f"difference {diff:+.4f}). The t family nests the Gaussian (nu -> infinity; here nu is "
                 f"capped at 1e6, so only nearly), so this is the expected order; the --starts 100 rows "
                 f"are run anyway as a check.")
    else:
        L.append(f"**t loglik is BELOW the Gaussian loglik** ({t['loglik']:.4f} vs {g['loglik']:.4f}, "
                 f"difference {diff:+.4f}), although the t family nests the Gaussian: the t search "
                 f"missed a maximum that the Gaussian found. See the `--starts 100` rows.")
    L.append("")
for fam in ("gaussian", "t"):
    d0, d1 = by.get(f"mcycle_{fam}"), by.get(f"mcycle_{fam}_starts100")
    if d0 and d1 and d0.get("loglik") is not None and d1.get("loglik") is not None:
        if d1["loglik"] < d0["loglik"] - 1e-6:
            L.append(f"**{fam}: `--starts 100` ended LOWER than the default 30 starts** "
                     f"({d1['loglik']:.4f} vs {d0['loglik']:.4f}): the search is not monotone in the "
                     f"number of starts (other draws, still 15 finalists).")
        else:
            L.append(f"{fam}: `--starts 100` gives {d1['loglik']:.4f} (default 30 starts: {d0['loglik']:.4f}).")
        L.append("")
st = [float(x) for x in open(os.path.join(work, "startup.time")).read().split()]
L.append(f"Process start-up alone (`moe fit --help`): median {statistics.median(st):.2f} s; "
         "compare the `--no-split-merge` rows for the share of the split-and-merge moves in the wall time.")
L.append("")
sl = open(os.path.join(work, "start_from_gaussian.log")).read().strip().splitlines()
L.append("t started from the Gaussian fit (`--family t --start mcycle_gaussian.json`): "
         f"`{' '.join(s for s in sl if s).replace(work + '/', '')}` — `--start` takes only a model of the same K and family, "
         "so this comparison is not possible directly.")
L.append("")
if bw_texts:
    L.append("Boundary warning texts (JSON `boundary_warning`) of the fits marked yes:")
    L.append("")
    for i, b in enumerate(bw_texts):
        L.append(f"> B{i + 1}: {b}")
        L.append("")
L.append("Per-expert sigma and nu (JSON `experts` order; nu is capped at 1e6 = `kMaxNu`, "
         "i.e. a Gaussian expert in effect):")
L.append("")
L.append("| fit | sigma_1..4 | nu_1..4 | experts' coefficients ((Intercept), times, times²) |")
L.append("|---|---|---|---|")
for lab in mc_labels:
    r = by[lab]
    if r["rc"] != 0:
        continue
    sig = ", ".join(f"{v:.3f}" for v in r["sigma"])
    nu = ", ".join(f"{v:.3g}" for v in r["nu"]) if r.get("nu") else "—"
    co = "; ".join("(" + ", ".join(f"{v:.4g}" for v in row) + ")" for row in r["coef"])
    L.append(f"| {names.get(lab, lab)} | {sig} | {nu} | {co} |")
L.append("")

# simulation
L.append("## 2. Simulation, n = 2000, K = 2, gate ~ z, experts y ~ x")
L.append("")
L.append("`set.seed(1)`; x, z ~ N(0,1); P(expert 1 | z) = plogis(2 z); expert 1: y = 1 + 2x + 0.5e; "
         "expert 2: y = −1 − 1.5x + 0.5e. Contaminated: every 20th row (100 rows, 5%) gets y + 15. "
         "Clean: the same rows without it. Fitted experts are matched to the truth by the intercept "
         "closest to +1 / −1. Truth: (1, 2), (−1, −1.5), sigma 0.5, gate log-odds (expert 1 vs 2) = 0 + 2z.")
L.append("")
L.append("| data | family | expert 1 (b0, b1) | expert 2 (b0, b1) | max abs coef err | sigma (1, 2) | nu (1, 2) | gate 1 vs 2 (b0, b1) | loglik | boundary | time (s) |")
L.append("|---|---|---|---|---:|---|---|---|---:|---|---:|")
for r in rows:
    if not r["section"].startswith("sim"):
        continue
    dat = r["data"].replace(".csv", "").replace("sim_", "")
    fam = r["family"] + (f" `{r['args'].split('-K 2')[-1].strip()}`" if r["section"] == "sim_extra" else "")
    if r["rc"] != 0:
        L.append(f"| {dat} | {fam} | failed (rc {r['rc']}) | | | | | | | | |")
        continue
    a, b = r["match"]
    c = r["coef"]
    nu = f"{r['nu'][a]:.3g}, {r['nu'][b]:.3g}" if r.get("nu") else "—"
    L.append(f"| {dat} | {fam} | {c[a][0]:.3f}, {c[a][1]:.3f} | {c[b][0]:.3f}, {c[b][1]:.3f} | "
             f"{r['max_abs_coef_err']:.3f} | {r['sigma'][a]:.3f}, {r['sigma'][b]:.3f} | {nu} | "
             f"{r['gate_1v2'][0]:.3f}, {r['gate_1v2'][1]:.3f} | {r['loglik']:.4f} | "
             f"{btag(r)} | {r['time_median_s']:.2f} |")
L.append("")
for dat in ("sim_clean.csv", "sim_contaminated.csv", "mcycle.csv"):
    gs = [r for r in rows if r["data"] == dat and r["family"] == "gaussian" and r.get("loglik") is not None]
    ts = [r for r in rows if r["data"] == dat and r["family"] == "t" and r.get("loglik") is not None
          and not r.get("nu_fixed")]
    for gr in gs:
        for tr in ts:
            if tr["args"] == gr["args"] and tr["loglik"] < gr["loglik"]:
                cap = t_loglik_at(gr, dat, 1e6)
                L.append(f"**{tr['label']} loglik ({tr['loglik']:.6f}) is below {gr['label']} "
                         f"({gr['loglik']:.6f}) by {gr['loglik'] - tr['loglik']:.6f}.** "
                         f"t experts' nu is capped at 1e6, so the t family does not contain the Gaussian "
                         f"exactly: the Gaussian fit's parameters with nu = 1e6 give a t loglik of "
                         f"{cap:.6f} (computed here), "
                         + ("at or below the t fit's, so the gap is the cap, not a missed maximum."
                            if cap <= tr["loglik"] + 1e-6 else
                            "ABOVE the t fit's: the t search missed a better maximum."))
                L.append("")
sw = [(r["label"], r["search_warnings"]) for r in rows if r.get("search_warnings")]
L.append("Search warnings (JSON `search.warnings`) of all fits: " +
         ("; ".join(f"{l}: {w.replace(' | ', '; ')}" for l, w in sw) if sw else "none in any fit."))
L.append("")
ph = open(os.path.join(work, "predict_help.txt")).read()
has_w = any(k in ph.lower() for k in ("scale weight", "weight_", "u_k", "tau"))
L.append("Per-row scale weights: " + (
    "`moe predict --help` mentions them (see results of a follow-up)." if has_w else
    "`moe predict --help` lists only prediction, gate_k, expert_k, qP, posterior_k and pit; "
    "it has no per-row scale weight (E[u_i]) column, so that check was skipped."))
L.append("")

L.append("## Commands")
L.append("")
L.append("Data are written to a temporary directory by `bench/t_experts/simulate.R` "
         "(mcycle.csv: times, times2 = times², accel from MASS::mcycle, checked equal to "
         "datasets/mcycle.csv; sim_clean.csv, sim_contaminated.csv: x, z, y). `$MOE` is the binary. "
         "Each command is run 3 times under `/usr/bin/time -f %e`:")
L.append("")
L.append("```")
for r in rows:
    L.append(r["command"])
L.append("OPENBLAS_NUM_THREADS=1 $MOE fit --data mcycle.csv --family t --threads 1 --seed 1 "
         "-y accel --x times,times2 --z times -K 4 --start mcycle_gaussian.json -q -o t_from_gaussian.json")
L.append("$MOE predict --help")
L.append("```")
L.append("")
L.append(f"Machine: `nproc` = {machine['nproc']}; `lscpu | grep 'Model name'` = {machine['cpu']}; "
         f"`date -u` = {machine['date_utc']}.")
L.append("")
with open(os.path.join(out, "results.md"), "w") as f:
    f.write("\n".join(L))
