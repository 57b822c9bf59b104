# SPDX-License-Identifier: GPL-2.0
# The ktcp/TCP ratios of `make bench` as bars (scripts/bench sets dat, png,
# kernel). Green where ktcp meets TCP (ratio >= 1 where more is better,
# <= 1 where less is), red where it falls short.
set terminal pngcairo size 1000,520 font ",10"
set output png
set title sprintf("ktcp / kernel TCP, same guest (%s); dashed line: parity", kernel)
set style fill solid 0.8 border -1
set boxwidth 0.7
set yrange [0:*]
set grid ytics
set ylabel "ktcp / TCP"
set xtics rotate by -40 scale 0 noenhanced
set key off
ok(r, hi) = (hi > 0.5 ? r >= 1 : r <= 1) ? 0x2a9d4a : 0xd0413a
plot dat using 0:2:(ok($2, $3)):xtic(1) with boxes lc rgb variable, \
     1 with lines dt 2 lc rgb "black", \
     dat using 0:2:(sprintf("%.2f", $2)) with labels offset 0,0.7
