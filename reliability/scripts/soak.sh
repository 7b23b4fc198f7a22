#!/usr/bin/env bash
# Load soak of driftguard (issue #9 item 5): feature-stream and scoring-stream as separate processes on the embedded
# broker, offered 70% of the capacity measured at the start, for DURATION (default 10 minutes; ISO-8601 like PT30M, or
# 10m / 600s). Samples heap, RSS, state-store size and event->prediction latency percentiles over time, prints them
# and asserts they stay flat (the rule is in SoakTest's Javadoc and docs/reliability.md, "Load soak").
#   reliability/scripts/soak.sh                  # 10 minutes
#   DURATION=30m reliability/scripts/soak.sh
# Report: reliability/target/reliability-soak/soak-report.txt; child app logs: reliability/target/reliability-logs/soak/
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
duration="${DURATION:-PT10M}"
case "$duration" in
  PT*|pt*) iso="${duration^^}" ;;
  *[0-9]h) iso="PT${duration%h}H" ;;
  *[0-9]m) iso="PT${duration%m}M" ;;
  *[0-9]s) iso="PT${duration%s}S" ;;
  *[0-9]) iso="PT${duration}S" ;;
  *) echo "soak.sh: DURATION must look like 10m, 600s, 1h or PT10M, was '$duration'" >&2; exit 2 ;;
esac
capacity_events="${CAPACITY_EVENTS:-10000}"

cd "$root"
echo "soak.sh: soaking for $iso (capacity burst of $capacity_events events); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f reliability/target/reliability-soak/soak-report.txt
status=0
mvn -B -o -q -pl reliability -am test -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false -Dreliability.soak=true \
  -Dreliability.soak.duration="$iso" -Dreliability.soak.capacityEvents="$capacity_events" || status=$?
report="reliability/target/reliability-soak/soak-report.txt"
if [[ -f "$report" ]]; then
  cat "$report"
else
  echo "soak.sh: no report at $report; see reliability/target/surefire-reports/" >&2
fi
echo "soak.sh: load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
