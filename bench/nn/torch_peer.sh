# Sourced by the scripts that time moe against PyTorch on the CPU
# (layer_vs_torch.sh, attention_vs_torch.sh): field JSON KEY prints one field
# of a JSON line; peer_header SCRIPT TITLE prints a result file's first lines
# (the title, then the command, date, commit, machine and PyTorch version).
field() { /usr/bin/python3 -c "import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
peer_header() {
  echo "# $2"
  echo
  echo "\`bash $1\`, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD),"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')."
  echo
}
