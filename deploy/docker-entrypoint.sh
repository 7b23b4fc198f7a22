#!/bin/sh
# Entry point of the driftguard image: `driftguard <command> ...` (e.g. `run feature-stream --config FILE`).
# ROLLBACK_TOKEN_FILE (optional) names a file whose content becomes drift-monitor's rollback token, so the token
# lives in a secret file shared with Alertmanager instead of in the environment of the compose file.
set -eu
if [ -n "${ROLLBACK_TOKEN_FILE:-}" ]; then
  DRIFTGUARD_DRIFT_ROLLBACK_TOKEN="$(cat "$ROLLBACK_TOKEN_FILE")"
  export DRIFTGUARD_DRIFT_ROLLBACK_TOKEN
  unset ROLLBACK_TOKEN_FILE
fi
# As the ./driftguard launcher: XGBoost would start one OpenMP thread per core on every predict; stream threads give
# the parallelism.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# datasketches 7 (drift-monitor) needs the incubating foreign-memory module on Java 17.
exec java --add-modules jdk.incubator.foreign ${JAVA_OPTS:-} -jar /opt/driftguard/driftguard.jar "$@"
