set terminal pngcairo size 1300,520 font ',11'
set output 'bench/results/compare_sim/convergence.png'
set datafile separator ','
set multiplot layout 1,2 title 'Relative gap to the best log-likelihood (-8961.07); floor 1e-16'
set logscale y
set format y '10^{%L}'
set grid
set key top right
methods = 'em gem gd gd:0.5 adam:0.05 mirror:0.5'
gap(m) = strcol(1) eq m ? ($5 > 1e-16 ? $5 : 1e-16) : 1/0
set xlabel 'iteration'
set ylabel '(best - loglik) / |best|'
plot for [m in methods] 'bench/results/compare_sim/trace.csv' using 2:(gap(m)) with lines lw 2 title m
set xlabel 'seconds'
unset ylabel
plot for [m in methods] 'bench/results/compare_sim/trace.csv' using 3:(gap(m)) with lines lw 2 title m
unset multiplot
