# Iterations to the target vs SNR for the symmetric 2-expert mixtures
# (data from em_vs_gd_table.awk); runs that never reached it are off the chart.
set terminal pngcairo size 1300,520 font ',11'
set output png
set multiplot layout 1,2 title 'Iterations to reach the best log-likelihood (rel. 1e-6), median of 3 seeds, n = 5000'
set logscale xy
set grid
set key top right
set xlabel 'SNR = |beta*| / sigma'
set ylabel 'iterations'
set yrange [1:6000]
set title 'two linear experts'
plot for [c=3:6] csv using (strcol(1) eq 'gaussian' ? $2 : 1/0):(column(c) < 1e300 ? column(c) : 1/0) \
  with linespoints lw 2 title word('EM GD-Armijo GD-best-fixed mirror-0.5', c - 2)
set title 'two logistic experts'
plot for [c=3:6] csv using (strcol(1) eq 'binomial' ? $2 : 1/0):(column(c) < 1e300 ? column(c) : 1/0) \
  with linespoints lw 2 title word('EM GD-Armijo GD-best-fixed mirror-0.5', c - 2)
unset multiplot
