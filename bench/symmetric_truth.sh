# symmetric_truth FAMILY SNR FILE: the model file of a symmetric mixture of two
# experts ±β*, β* = SNR·(1, 1)/√2 (σ = 1 for gaussian), gate log-odds (1, −1)·x
# of expert 1 against expert 2, no intercepts (the setting of Fruytier,
# Mokhtari & Sanghavi). Sourced by bench/script_setup.sh.
symmetric_truth() {
  local b
  b=$(awk -v s="$2" 'BEGIN { printf "%.17g", s / sqrt(2) }')
  local sigma=""
  [ "$1" = gaussian ] && sigma='"sigma": [1, 1],'
  cat >"$3" <<JSON
{"family": "$1", "K": 2, "response": "y", "x": ["x1", "x2"], "z": ["x1", "x2"],
 "intercept": false,
 "experts": {"coef": [[$b, $b], [-$b, -$b]], $sigma "names": ["x1", "x2"]},
 "gate": {"coef": [[1, -1], [0, 0]], "names": ["x1", "x2"]}}
JSON
}
