#!/bin/bash
# Creates every driftguard topic (DESIGN.md, "Topics") on the compose broker; existing topics are left alone.
# Usage: create-topics.sh BOOTSTRAP_SERVERS [PARTITIONS]
set -euo pipefail
bootstrap="$1"
partitions="${2:-4}"
topics=/opt/kafka/bin/kafka-topics.sh
create() {
  "$topics" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$1" --partitions "$2" \
    --replication-factor 1 "${@:3}"
}
# events, labels, features, predictions and predictions-shadow share one partition count: the joins are co-partitioned.
create events "$partitions"
create labels "$partitions"
create features "$partitions" --config cleanup.policy=compact
create predictions "$partitions"
create predictions-shadow "$partitions"
create alerts 1
create model-control 1 --config cleanup.policy=compact
create dead-letters "$partitions"
echo "driftguard topics ready on $bootstrap"
