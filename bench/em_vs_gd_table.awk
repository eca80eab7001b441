# Summarizes bench/em_vs_gd.sh's CSV: for every configuration (family, K, SNR),
# the median over seeds of the iterations and seconds to reach the target, for
# EM, GD with Armijo, GD with the best fixed step of the grid, and mirror
# descent (η = 0.5); a run that never reached the target counts as +∞.
# Writes a markdown table to stdout and the K = 2 medians to OUT.dat, where
# OUT is given as -v out=OUT.
function median(list,    v, n, i, j, t) {
  n = split(list, v, " ")
  for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
  return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function show(x) { return x >= 1e300 ? "not reached" : x }
function add(key, what, value) { data[key, what] = data[key, what] " " value }
NR == 1 { next }
{
  key = $1 "," $2 "," $3
  if (!(key in seen)) { seen[key] = 1; order[++nkeys] = key }
  run = key "," $4
  iters = $7 == 1 ? $8 : 1e308
  secs = $7 == 1 ? $9 : 1e308
  if ($5 == "em" || $5 == "gd" || $5 == "mirror:0.5") {
    add(key, $5 "_it", iters); add(key, $5 "_s", secs)
    if ($5 == "em") { add(key, "err", $11); add(key, "rate", $12) }
  } else if (!(run in best_it) || iters < best_it[run]) {
    best_it[run] = iters; best_s[run] = secs; best_step[run] = substr($5, 4)
  }
  runs_of[key] = runs_of[key] " " run
}
END {
  dat = out ".dat"
  print "| family | K | SNR | EM iter | EM s | GD Armijo iter | GD Armijo s | GD best fixed iter (steps) | GD best fixed s | mirror η=0.5 iter | EM rate | EM param. error |"
  print "|---|---|---|---|---|---|---|---|---|---|---|---|"
  print "# family snr em gd_armijo gd_best mirror" > dat
  for (i = 1; i <= nkeys; i++) {
    key = order[i]; split(key, k, ",")
    n = split(runs_of[key], rs, " "); bi = ""; bs = ""; steps = ""
    for (j = 1; j <= n; j++) if (!(rs[j] in used)) {
      used[rs[j]] = 1; bi = bi " " best_it[rs[j]]; bs = bs " " best_s[rs[j]]
      steps = steps (steps == "" ? "" : ",") (best_it[rs[j]] >= 1e300 ? "-" : best_step[rs[j]])
    }
    printf "| %s | %s | %s | %s | %s | %s | %s | %s (%s) | %s | %s | %.3f | %.3g |\n", k[1], k[2], k[3],
      show(median(data[key, "em_it"])), show(median(data[key, "em_s"])),
      show(median(data[key, "gd_it"])), show(median(data[key, "gd_s"])), show(median(bi)), steps,
      show(median(bs)), show(median(data[key, "mirror:0.5_it"])), median(data[key, "rate"]),
      median(data[key, "err"])
    if (k[2] == 2)
      print k[1], k[3], median(data[key, "em_it"]), median(data[key, "gd_it"]), median(bi),
            median(data[key, "mirror:0.5_it"]) > dat
  }
}
