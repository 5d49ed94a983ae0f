#!/usr/bin/env bash
# Eclipse Paho MQTT 3.1.1 interoperability suite (eclipse/paho.mqtt.testing,
# interoperability/client_test.py, 10 tests) against HallWatch's broker started as `npm start
# -- --only broker` and against Debian's Mosquitto, side by side. A conformance check, not a
# benchmark: it prints "<broker>: N/10" for each.
#
#   bench/paho-interop.sh PATH/TO/paho.mqtt.testing/interoperability
#
# HallWatch runs with the documented interop config (docs/broker.md "Paho interoperability"):
# anonymous access allowed (the suite logs in without credentials) and `test/nosubscribe` in
# mqtt.denySubscribe. Mosquitto gets the equivalent: allow_anonymous true and an ACL that denies
# test/nosubscribe (Mosquitto 2.0.11 still grants that SUBACK and filters at delivery, and sends
# one message per overlapping subscription at the lower QoS first, so it scores 8).
set -euo pipefail
PAHO=${1:?usage: bench/paho-interop.sh PATH/TO/paho.mqtt.testing/interoperability}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
chmod 755 "$WORK" # Mosquitto started as root drops to its own user and must read the ACL file
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 600); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),1)" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "port $1 did not open" >&2
  return 1
}

HW_PORT=$(free_port)
cat >"$WORK/hallwatch.yaml" <<EOF
dataDir: $WORK/data
mqtt:
  listen: { host: 127.0.0.1, port: $HW_PORT }
  allowAnonymous: true
  denySubscribe: [test/nosubscribe]
halls:
  - id: interop
    name: Paho interop
    sessions: { mon-fri: ["09:00-17:00"] }
    counters: [{ id: w01, name: 1号窗口, seats: [s1] }]
EOF
(cd "$ROOT" && exec node --import tsx app/start.ts --config "$WORK/hallwatch.yaml" --only broker >"$WORK/hallwatch.log" 2>&1) &
PIDS+=($!)

MQ_PORT=$(free_port)
cat >"$WORK/acl" <<EOF
topic deny test/nosubscribe
topic readwrite #
EOF
cat >"$WORK/mosquitto.conf" <<EOF
listener $MQ_PORT 127.0.0.1
allow_anonymous true
acl_file $WORK/acl
EOF
/usr/sbin/mosquitto -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
PIDS+=($!)

wait_port "$HW_PORT"
wait_port "$MQ_PORT"
# The suite waits only 0.5 s for a CONNACK: one warm-up login so a cold start on a loaded machine
# does not fail its first test.
for port in "$HW_PORT" "$MQ_PORT"; do
  python3 -c "import socket; s=socket.create_connection(('127.0.0.1',$port)); s.sendall(bytes([16,12,0,4])+b'MQTT'+bytes([4,2,0,60,0,0])); s.settimeout(10); s.recv(4); s.close()"
done

run_suite() {
  (cd "$PAHO" && PYTHONPATH=. python3 - "$1" <<'PY'
import sys, unittest
port = int(sys.argv[1])
sys.argv = ["client_test.py"]
import client_test as t
t.host, t.port = "127.0.0.1", port
t.topics = ("TopicA", "TopicA/B", "Topic/C", "TopicA/C", "/TopicA")
t.wildtopics = ("TopicA/+", "+/C", "#", "/#", "/+", "+/+", "TopicA/#")
t.nosubscribe_topics = ("test/nosubscribe",)
r = unittest.main(module=t, argv=["client_test.py"], exit=False, verbosity=1).result
print(f"RESULT {r.testsRun - len(r.failures) - len(r.errors)}/{r.testsRun}")
PY
  ) 2>&1
}

for b in "hallwatch:$HW_PORT" "mosquitto:$MQ_PORT"; do
  name=${b%%:*}
  port=${b##*:}
  out=$(run_suite "$port")
  echo "$out" >"$WORK/$name.out"
  grep -E "test failed|^FAIL:|^ERROR:" "$WORK/$name.out" | grep -v "ERROR:root" | sed "s/^/  $name: /" || true
  echo "$name: $(grep -o 'RESULT .*' "$WORK/$name.out" | cut -d' ' -f2)"
done
