# SPDX-License-Identifier: GPL-2.0
# The ktcp/TCP ratios of `make bench` as bars (scripts/bench sets dat, png,
# kernel). Green where the ratio meets its target (bench.py's TARGETS),
# red where it misses, grey where it has none (CPU per byte, p99).
set terminal pngcairo size 1000,520 font ",10"
set output png
set title sprintf("ktcp / kernel TCP, same guest (%s); green: target met, " . \
	"red: missed, grey: no target", kernel)
set style fill solid 0.8 border -1
set boxwidth 0.7
set yrange [0:*]
set grid ytics
set ylabel "ktcp / TCP"
set xtics rotate by -40 scale 0 noenhanced
set key off
set bmargin 8
set rmargin 6
colour(met) = met > 0 ? 0x2a9d4a : (met == 0 ? 0xd0413a : 0x9a9a9a)
plot dat using 0:2:(colour($3)):xtic(1) with boxes lc rgb variable, \
     1 with lines dt 2 lc rgb "black", \
     dat using 0:2:(sprintf("%.2f", $2)) with labels offset 0,0.7
