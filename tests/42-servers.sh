#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real servers over ktcp through tools/ktcp-run, unmodified, as Debian
# ships them (scripts/apps-setup unpacks them into the cache): nginx with
# reuseport listeners and sendfile, redis under redis-benchmark, and
# OpenSSH's sshd with ssh running a command and carrying a file.  Every
# reply is compared with what was sent or with the same command run
# locally, and ktcp's sockets and counters prove ktcp carried it.  Not on
# the debug kernel, as tests/40-applications.sh.
# kernels: 6.1 6.12
set -u
T=$KTCP_ROOT/tools
A=$KTCP_CACHE/apps/root
# shellcheck source=tests/lib/ktap.sh
. "$KTCP_ROOT/tests/lib/ktap.sh"
if [ ! -x "$A/usr/sbin/nginx" ]; then
	bad "no servers in $A: run scripts/apps-setup"
	ktap_done
	exit
fi
work=$(mktemp -d)
cd "$work" || exit 1
head -c 2000000 /dev/urandom >blob

# listeners PORT: ktcp sockets listening on PORT.
listeners() {
	awk -v p="$(printf ':%04X' "$1")" 'NR > 1 && substr($2, length($2) - 4) == p &&
		$4 == "0A"' /proc/net/ktcp | wc -l
}

# wait_for COMMAND...: up to 10 s for COMMAND to succeed.
wait_for() {
	local i
	for i in $(seq 50); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# nginx: two workers, each with its own SO_REUSEPORT listener; sixteen
# connections (Connection: close) must all be served, by both workers.
mkdir www && cp blob www/
cat >nginx.conf <<EOF
daemon off;
master_process on;
worker_processes 2;
user root;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 64; }
http {
	log_format bypid '\$pid \$status \$body_bytes_sent';
	access_log $work/access.log bypid;
	client_body_temp_path $work/body;
	proxy_temp_path $work/proxy;
	fastcgi_temp_path $work/fastcgi;
	uwsgi_temp_path $work/uwsgi;
	scgi_temp_path $work/scgi;
	sendfile on;
	server {
		listen 127.0.0.1:8081 reuseport;
		root $work/www;
	}
}
EOF
$T/ktcp-run "$A/usr/sbin/nginx" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
srv=$!
wait_for $T/ktcp-run curl -s -o /dev/null http://127.0.0.1:8081/
l=$(listeners 8081)
if [ "$l" = 2 ]; then ok "nginx: two reuseport listeners are ktcp sockets"; else bad "nginx: $l ktcp listeners on port 8081, want 2"; fi
args=()
for i in $(seq 16); do
	args+=(-o "got.$i" http://127.0.0.1:8081/blob)
done
if $T/ktcp-run curl -s -H 'Connection: close' "${args[@]}"; then
	good=0
	for i in $(seq 16); do
		cmp -s blob "got.$i" && good=$((good + 1))
	done
	if [ $good = 16 ]; then ok "nginx: 16 downloads of 2 MB intact"; else bad "nginx: $good of 16 downloads intact"; fi
else
	bad "nginx: curl failed"
fi
kill -QUIT $srv
wait $srv 2>/dev/null
pids=$(awk '$2 == 200 && $3 == 2000000 { print $1 }' access.log | sort -u | wc -l)
if [ "$pids" = 2 ]; then ok "nginx: both workers served downloads"; else bad "nginx: $pids worker(s) served the downloads: $(awk '{ print $1 }' access.log | sort | uniq -c | tr '\n' ' ')"; fi
moved nginx 200

# redis: redis-benchmark's requests all answered, and a 400 kB value
# stored and read back intact.
export LD_LIBRARY_PATH=$A/usr/lib/x86_64-linux-gnu
cli() { $T/ktcp-run "$A/usr/bin/redis-cli" -p 6390 "$@"; }
$T/ktcp-run "$A/usr/bin/redis-server" --port 6390 --bind 127.0.0.1 --save '' \
	--appendonly no --dir "$work" >redis.log 2>&1 &
srv=$!
wait_for cli ping
if [ "$(listeners 6390)" = 1 ]; then ok "redis listens on a ktcp socket"; else bad "redis: no ktcp listener on port 6390"; fi
if $T/ktcp-run "$A/usr/bin/redis-benchmark" -p 6390 -q -n 2000 -c 8 -t set,get,incr,lpush,lpop --csv >bench.csv 2>bench.err; then
	# "test","rps",...: each of the five must report a rate
	rates=$(awk -F'"' 'NR > 1 && $4 + 0 > 0' bench.csv | wc -l)
	if [ "$rates" = 5 ]; then
		ok "redis-benchmark: 5 x 2000 requests answered ($(awk -F'"' '$2 == "GET" { print int($4) }' bench.csv) GET/s)"
	else
		bad "redis-benchmark: $(cat bench.csv)"
	fi
else
	bad "redis-benchmark failed: $(tail -n 3 bench.err)"
fi
head -c 300000 blob | base64 -w0 >value
cli -x set value <value >/dev/null
cli --raw get value | head -c "$(stat -c %s value)" >got.value
if cmp -s value got.value; then ok "redis: a 400 kB value stored and read back intact"; else bad "redis: the value came back different"; fi
cli shutdown nosave >/dev/null 2>&1
wait $srv 2>/dev/null
unset LD_LIBRARY_PATH
moved redis 200

# sshd: privilege separation wants its user and /run/sshd; the user is
# added in a mount namespace of the server's own, not on the host.
ssh-keygen -q -t ed25519 -N '' -f hostkey
ssh-keygen -q -t ed25519 -N '' -f userkey
{ cat /etc/passwd; echo 'sshd:x:65533:65534::/run/sshd:/usr/sbin/nologin'; } >passwd
mkdir -p /run/sshd
cat >sshd_config <<EOF
Port 2222
ListenAddress 127.0.0.1
HostKey $work/hostkey
PidFile $work/sshd.pid
AuthorizedKeysFile $work/userkey.pub
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOF
unshare -m sh -c 'mount --bind "$1" /etc/passwd && shift && exec "$@"' sh passwd \
	$T/ktcp-run "$A/usr/sbin/sshd" -D -e -f "$work/sshd_config" 2>sshd.log &
srv=$!
ssh_run() {
	$T/ktcp-run ssh -i userkey -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o BatchMode=yes -o LogLevel=ERROR -p 2222 root@127.0.0.1 "$@"
}
wait_for ssh_run true
if [ "$(listeners 2222)" = 1 ]; then ok "sshd listens on a ktcp socket"; else bad "sshd: no ktcp listener on port 2222: $(tail -n 3 sshd.log)"; fi
want="$(uname -r) $(id -un)"
got=$(ssh_run 'echo $(uname -r) $(id -un)' 2>&1)
if [ "$got" = "$want" ]; then ok "ssh ran a command: '$got'"; else bad "ssh: got '$got', want '$want'"; fi
ssh_run "cat >$work/got.ssh" <blob
if cmp -s blob got.ssh; then ok "ssh carried 2 MB intact"; else bad "ssh: the file arrived different"; fi
kill $srv
wait $srv 2>/dev/null
rmdir /run/sshd
moved ssh 200
cd / && rm -rf "$work"
ktap_done
