#!/usr/bin/env bash
# Runs every benchmark once, in sequence (never two at a time: they would measure each other), writing logs and
# JMH JSON to $OUT (default benchmarks/target/results). Build the jar first:
#   mvn -B -pl benchmarks -am package -DskipTests -Pbench-jar
# Short JMH settings on purpose (-f 1 -wi 3 -i 5); RECORDS, WARMUP (runs), REPEATS and STAGES size the load run;
# --load-only skips the JMH and paired runs.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
OUT=${OUT:-benchmarks/target/results}
RECORDS=${RECORDS:-1000000}
WARMUP=${WARMUP:-2}
STAGES=${STAGES:-plain,plain-async,streams-eos}
REPEATS=${REPEATS:-3}
mkdir -p "$OUT"
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/benchmarks/target/djl-cache}
machine() {
  echo "date: $(date -u +%FT%TZ)  nproc: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  free -m | sed -n 2p
  java -version 2>&1 | head -1
}
{ machine; } > "$OUT/machine.txt"
JMH="-f 1 -wi 3 -i 5"
if [[ "${1:-}" == "--load-only" ]]; then
  SKIP_MICRO=1
fi
if [[ -z "${SKIP_MICRO:-}" ]]; then
OMP_NUM_THREADS=1 java -jar "$JAR" ModelRunnerBenchmark $JMH -rf json -rff "$OUT/model-omp1.json" > "$OUT/model-omp1.txt" 2>&1
echo "after model-omp1: load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
java -jar "$JAR" ModelRunnerBenchmark $JMH -rf json -rff "$OUT/model-ompdefault.json" > "$OUT/model-ompdefault.txt" 2>&1
echo "after model-ompdefault: load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
OMP_NUM_THREADS=1 java -Xmx512m -XX:+UseSerialGC -cp "$JAR" io.driftguard.benchmarks.model.PairedScoringComparison 300 \
  > "$OUT/paired-omp1.txt" 2> "$OUT/paired-omp1.err"
# With OpenMP's default pool on an oversubscribed machine a single row can take milliseconds: keep this one short.
java -Xmx512m -XX:+UseSerialGC -cp "$JAR" io.driftguard.benchmarks.model.PairedScoringComparison 30 \
  > "$OUT/paired-ompdefault.txt" 2> "$OUT/paired-ompdefault.err"
echo "after paired: load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
java -jar "$JAR" DriftStatisticsBenchmark $JMH -rf json -rff "$OUT/drift.json" > "$OUT/drift.txt" 2>&1
echo "after drift: load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
fi
java -Xmx1g -XX:+UseSerialGC -cp "$JAR" io.driftguard.benchmarks.load.LoadHarness \
  --records "$RECORDS" --warmup-runs "$WARMUP" --repeats "$REPEATS" --stages "$STAGES" > "$OUT/load.txt" 2> "$OUT/load.err"
echo "after load: load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
