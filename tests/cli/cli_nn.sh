#!/usr/bin/env bash
# End-to-end tests of the command line, part nn: nn-train and nn-eval on Fashion-MNIST (when installed), the Pima table and Jane Austen.
#   usage: cli_nn.sh MOE_BINARY REPOSITORY_ROOT   (see lib.sh)
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# nn-train / nn-eval on Fashion-MNIST (Debian's dataset-fashion-mnist).
FASHION=/usr/share/datasets/fashion-mnist
if [ -f "$FASHION/t10k-labels-idx1-ubyte.gz" ]; then
  NN=(nn-train --data fashion-mnist --train-size 600 --test-size 300 --experts 4 --k 2 --expert-size 8
      --width 16 --layers 1 --epochs 2 --batch-size 50)
  expect_ok "$MOE" "${NN[@]}" --router sigma --out nn.json --save nn.bin
  check "nn-train prints one progress line per epoch" test "$(grep -c '^epoch [12]/2  train_loss ' out)" = 2
  check "nn-train log: two epochs with test accuracy" test "$(grep -c '"test_accuracy"' nn.json)" = 2
  check "nn-train log: expert usage and seconds" grep -q '"expert_usage"' nn.json
  check "nn-train log: tokens per expert, none dropped" grep -q '"dropped_tokens": 0' nn.json
  check "nn-train learns: test accuracy above chance" \
    awk '/"test_accuracy"/ { v = $2 } END { exit !(v + 0 > 0.4) }' nn.json
  expect_ok "$MOE" "${NN[@]}" --router sigma --quiet --out nn2.json
  check "nn-train is deterministic (same seed, same log apart from times)" \
    cmp -s <(grep -v seconds nn.json) <(grep -v seconds nn2.json)
  expect_ok "$MOE" "${NN[@]}" --router dense --quiet --out dense.json
  check "nn-train --router dense has no expert usage" grep -q '"expert_usage": \[\]' dense.json
  expect_ok "$MOE" "${NN[@]}" --router softmax --balance 0.01 --expert-dropout 0.1 --quiet
  expect_ok "$MOE" nn-eval -c nn.bin --data fashion-mnist --test-size 300 --out eval.json
  check "nn-eval reproduces the last epoch's test accuracy" test \
    "$(awk '/"test_accuracy"/ { v = $2 } END { sub(/,$/, "", v); print v }' nn.json)" = \
    "$(awk '/"test_accuracy"/ { v = $2; sub(/,$/, "", v); print v }' eval.json)"
  check "nn-eval reports the calibration error" grep -q '"ece"' eval.json
  check "nn-train trains in fp32 by default" grep -q '"precision": "fp32"' nn.json
  expect_ok "$MOE" "${NN[@]}" --router sigma --precision fp64 --quiet --out fp64.json --save fp64.bin
  check "nn-train --precision fp64 is recorded" grep -q '"precision": "fp64"' fp64.json
  check "nn-train fp32 learns like fp64 (test accuracies within 0.05)" awk \
    -v a="$(awk '/"test_accuracy"/ { v = $2 } END { print v + 0 }' fp64.json)" \
    -v b="$(awk '/"test_accuracy"/ { v = $2 } END { print v + 0 }' nn.json)" 'BEGIN { d = a - b; exit !(d < 0.05 && d > -0.05) }'
  expect_ok "$MOE" nn-eval -c fp64.bin -c nn.bin --data fashion-mnist --test-size 300
  # The seed methods: SimSMoE, E3 ensembles, SCMoE, deep ensembles.
  expect_ok "$MOE" "${NN[@]}" --router sigma --simsmoe 0.5 --simsmoe-threshold 0 --simsmoe-frequency 0 --quiet \
    --out sim.json
  check "nn-train --simsmoe logs a collapse score per epoch" test "$(grep -c '"collapse"' sim.json)" = 2
  check "nn-train --simsmoe adds its penalty to the auxiliary loss" \
    awk '/"auxiliary_loss"/ { v = $2 } END { exit !(v + 0 > 0) }' sim.json
  check "nn-train --simsmoe follows the authors' code by default (counted, projected)" \
    grep -q '"simsmoe_projection": true' sim.json
  check "nn-train --simsmoe logs its rule" grep -q '"simsmoe_rule": "counted"' sim.json
  expect_ok "$MOE" "${NN[@]}" --router sigma --simsmoe 0.5 --simsmoe-threshold 0 --simsmoe-frequency 1e9 --quiet \
    --out never.json
  check "nn-train --simsmoe-frequency above any count never penalizes" \
    awk '/"auxiliary_loss"/ { v = $2 } END { exit !(v + 0 == 0) }' never.json
  expect_ok "$MOE" "${NN[@]}" --router sigma --simsmoe 0.5 --simsmoe-kernel rbf --simsmoe-rule batch --quiet \
    --out batch.json
  check "nn-train --simsmoe-rule batch does not project" grep -q '"simsmoe_projection": false' batch.json
  expect_fail "simsmoe-rule" "$MOE" "${NN[@]}" --simsmoe 0.5 --simsmoe-rule weekly
  expect_ok "$MOE" "${NN[@]}" --router sigma --ensemble 2 --quiet --out e3.json --save e3.bin
  check "nn-train --ensemble 2 counts each member's FLOPs after the input projection" \
    awk -v one="$(first_value flops_per_example nn.json)" -v two="$(first_value flops_per_example e3.json)" \
    'BEGIN { input = 2 * 784 * 16; exit !(two - input == 2 * (one - input)) }'
  expect_fail "must split into equal groups" "$MOE" "${NN[@]}" --ensemble 3
  expect_ok "$MOE" nn-eval -c nn.bin --data fashion-mnist --test-size 300 --scmoe --scmoe-beta 0 --out sc0.json
  check "SCMoE with beta 0 has the accuracy of plain top-2 inference" test \
    "$(awk '/"accuracy"/ && !/strong/ { v = $2 } END { print v }' sc0.json | tr -d ,)" = \
    "$(awk '/"strong_accuracy"/ { v = $2 } END { print v }' sc0.json | tr -d ,)"
  expect_ok "$MOE" nn-eval -c nn.bin --data fashion-mnist --test-size 300 --scmoe --scmoe-rank 3 --out sc.json
  check "nn-eval --scmoe reports the latency ratio" grep -q '"latency_ratio"' sc.json
  expect_fail "exceeds the number of experts per member" \
    "$MOE" nn-eval -c nn.bin --data fashion-mnist --test-size 300 --scmoe --scmoe-rank 5
  expect_fail "--scmoe evaluates one network" "$MOE" nn-eval -c nn.bin -c e3.bin --data fashion-mnist --scmoe
  expect_ok "$MOE" nn-eval -c nn.bin -c e3.bin --data fashion-mnist --test-size 300 --out ens.json
  check "nn-eval of two networks adds their FLOPs" awk -v a="$(first_value flops_per_example nn.json)" \
    -v b="$(first_value flops_per_example e3.json)" -v c="$(first_value flops_per_example ens.json)" \
    'BEGIN { exit !(a + b == c) }'
  expect_fail "k = 5 must be between 1 and the number of experts (4)" \
    "$MOE" nn-train --data fashion-mnist --train-size 100 --experts 4 --k 5
  expect_fail "mnist not in {fashion-mnist,austen}" "$MOE" nn-train --data mnist
  expect_fail "test size 20000 exceeds the 10000 examples available" \
    "$MOE" nn-train --data fashion-mnist --train-size 100 --test-size 20000
  expect_fail "cannot open '/nonexistent/train-images-idx3-ubyte.gz'" "$MOE" "${NN[@]}" --data-dir /nonexistent
  expect_fail "is not a moe network checkpoint" "$MOE" nn-eval -c nn.json --data fashion-mnist
  expect_fail "cannot read 'missing.bin'" "$MOE" nn-eval -c missing.bin --data fashion-mnist
  expect_fail "device" "$MOE" "${NN[@]}" --device tpu
  expect_fail "cannot write" "$MOE" "${NN[@]}" --out /nonexistent/log.json
fi

# nn-train on a CSV file: the Pima data, diabetes as the class.
PIMA_NN=(--data "$DATA/pima.csv" --label diabetes --features npreg,glu,bp,skin,bmi,ped,age)
expect_ok "$MOE" nn-train "${PIMA_NN[@]}" --experts 4 --k 2 --expert-size 16 --width 32 --layers 1 --epochs 30 \
  --batch-size 32 --quiet --out pima_nn.json --save pima_nn.bin
check "nn-train on pima.csv beats the majority class (0.67) on held-out rows" \
  awk '/"test_accuracy"/ { v = $2 } END { exit !(v + 0 > 0.7) }' pima_nn.json
expect_ok "$MOE" nn-eval -c pima_nn.bin "${PIMA_NN[@]}" --out pima_eval.json
expect_fail "was trained with split_seed 1, not 2" "$MOE" nn-eval -c pima_nn.bin "${PIMA_NN[@]}" --split-seed 2
check "nn-eval on the same CSV split reproduces the accuracy" test \
  "$(awk '/"test_accuracy"/ { v = $2 } END { sub(/,$/, "", v); print v }' pima_nn.json)" = \
  "$(awk '/"test_accuracy"/ { v = $2; sub(/,$/, "", v); print v }' pima_eval.json)"
expect_fail "name its class column with --label" "$MOE" nn-train --data "$DATA/pima.csv"
expect_fail "is not a whole number" "$MOE" nn-train --data "$DATA/pima.csv" --label bmi
expect_fail "the label column 'diabetes' cannot also be a feature" "$MOE" nn-train --data "$DATA/pima.csv" \
  --label diabetes --features glu,diabetes
expect_fail "training diverged in epoch 1" "$MOE" nn-train --data "$DATA/pima.csv" --label diabetes --epochs 2 \
  -E 4 --k 2 --expert-size 4 --width 8 --layers 1 --batch-size 32 --lr 1e4 --precision fp32
expect_fail "not a .csv file" "$MOE" nn-train --data "$DATA/README.md" --label x


# The character-level language model on Jane Austen's novels (datasets/austen).
AUSTEN=(nn-train --data austen --context 8 --train-size 3000 --test-size 500
        --experts 4 --k 2 --expert-size 8 --width 16 --layers 1 --epochs 1)
expect_ok "$MOE" "${AUSTEN[@]}" --data-dir "$DATA/austen" --out lm.json --save lm.bin
check "austen: bits per character in the log" grep -q '"test_nll_bits"' lm.json
expect_ok "$MOE" nn-eval -c lm.bin --data austen --data-dir "$DATA/austen" --context 8 --test-size 500 --scmoe
expect_fail "takes 656 inputs" "$MOE" nn-eval -c lm.bin --data austen --data-dir "$DATA/austen" --context 4
expect_fail "cannot open '/nonexistent/sense_and_sensibility.txt.gz'" "$MOE" "${AUSTEN[@]}" --data-dir /nonexistent
mkdir -p austen_cut && cp "$DATA"/austen/*.gz austen_cut/
head -c 20000 "$DATA/austen/emma.txt.gz" >austen_cut/emma.txt.gz
expect_fail "'austen_cut/emma.txt.gz' is not a complete gzip file" "$MOE" "${AUSTEN[@]}" --data-dir austen_cut

# The transformer language model on the same novels: causal attention, then sigma-MoE.
LM_SIZES=(nn-train --data austen --data-dir "$DATA/austen" --arch transformer --context 16 --width 16 --layers 1
          --experts 4 --k 2 --expert-size 8 --steps 12 --eval-every 6 --batch-size 4 --train-size 20000
          --test-size 20 --precision fp32)
LM=("${LM_SIZES[@]}" --heads 2)
expect_ok "$MOE" "${LM[@]}" --out tlm.json --save tlm.bin
check "transformer: a progress line per record" test "$(grep -c '^step [0-9]*/12  train_loss ' out)" = 2
check "transformer: the log gives bits per character" grep -q '"test_bits_per_character"' tlm.json
check "transformer: the log names the architecture" grep -q '"arch": "transformer"' tlm.json
check "transformer: held-out bits per character below the uniform's" \
  awk '/"test_bits_per_character"/ { v = $2 } END { exit !(v + 0 > 0 && v + 0 < 7) }' tlm.json
expect_ok "$MOE" "${LM[@]}" --quiet --out tlm2.json
check "transformer: a seed gives the same run (times aside)" cmp -s <(grep -v seconds tlm.json) <(grep -v seconds tlm2.json)
expect_ok "$MOE" "${LM[@]}" --router dense --tie-weights --quiet --out tlm3.json
check "transformer: dense blocks and tied weights" grep -q '"tie_weights": true' tlm3.json
expect_ok "$MOE" nn-eval -c tlm.bin --data austen --data-dir "$DATA/austen" --test-size 20 --out tlm_eval.json
check "transformer: nn-eval of the saved model gives the last record's held-out score" test \
  "$(awk '/"test_nll"/ { v = $2 } END { sub(/,$/, "", v); print v }' tlm.json)" = \
  "$(awk '/"test_nll"/ { v = $2; sub(/,$/, "", v); print v }' tlm_eval.json)"
expect_fail "a transformer checkpoint is evaluated alone" \
  "$MOE" nn-eval -c tlm.bin -c tlm.bin --data austen --data-dir "$DATA/austen" --test-size 20
LM_EVAL=(nn-eval -c tlm.bin --data austen --data-dir "$DATA/austen" --test-size 20)
expect_ok "$MOE" "${LM_EVAL[@]}" --scmoe --scmoe-beta 0 --scmoe-alpha 1e-12 --out tlm_sc0.json
check "transformer: SCMoE without contrast has the held-out bits of the model" test \
  "$(awk '/"strong_bits_per_character"/ { printf "%.10f", $2 }' tlm_sc0.json)" = \
  "$(awk '/"bits_per_character_covered"/ && !/strong/ { printf "%.10f", $2 }' tlm_sc0.json)"
expect_ok "$MOE" "${LM_EVAL[@]}" --scmoe --generate 30 --prompt "It was" --out tlm_gen.json
check "transformer: SCMoE reports coverage and latency" grep -q '"latency_ratio"' tlm_gen.json
check "transformer: --generate prints the greedy text after the prompt" grep -q '^greedy: ' out
check "transformer: --generate with --scmoe prints SCMoE's text too" grep -q '^scmoe:  ' out
check "transformer: the generation is in the JSON" grep -q '"prompt": "It was"' tlm_gen.json
expect_fail "--prompt has the byte 195" "$MOE" "${LM_EVAL[@]}" --generate 5 --prompt "Émile"
expect_fail "--generate needs a transformer checkpoint" \
  "$MOE" nn-eval -c nn.bin --data fashion-mnist --test-size 300 --generate 5
expect_ok "$MOE" "${LM[@]}" --router dense --quiet --save tlm_dense.bin
expect_fail "--scmoe contrasts routings of MoE blocks" \
  "$MOE" nn-eval -c tlm_dense.bin --data austen --data-dir "$DATA/austen" --test-size 20 --scmoe
expect_fail "--epochs (give --steps) is not available with --arch transformer" "$MOE" "${LM[@]}" --epochs 2
expect_fail "--steps, --dropout, --tie-weights and --positions are for --arch transformer" "$MOE" "${AUSTEN[@]}" --data-dir "$DATA/austen" --steps 5
expect_ok "$MOE" "${LM[@]}" --dropout 0.1 --quiet --out tlm4.json
check "transformer: --dropout is recorded" grep -q '"dropout": 0.1' tlm4.json
expect_fail "the width (16) must be a positive multiple of the heads (3)" "$MOE" "${LM_SIZES[@]}" --heads 3
expect_fail "--arch transformer reads a text: use --data austen" "$MOE" nn-train --data "$DATA/pima.csv" --label type \
  --arch transformer --steps 2

finish
