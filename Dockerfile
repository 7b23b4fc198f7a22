# One image for every driftguard app: `docker run driftguard run <app> --config FILE`.
# Build the shaded jar first (the launcher does it: ./driftguard --help, or mvn -B -DskipTests package -pl cli -am),
# then `docker compose build`.
FROM eclipse-temurin:17-jre

# curl for the compose healthchecks (GET /health/ready).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/driftguard driftguard \
 && mkdir -p /var/lib/driftguard/state /var/lib/driftguard/models /etc/driftguard \
 && chown -R driftguard /var/lib/driftguard

COPY cli/target/driftguard.jar /opt/driftguard/driftguard.jar
COPY deploy/docker-entrypoint.sh /usr/local/bin/driftguard
RUN chmod 0755 /usr/local/bin/driftguard

USER driftguard
WORKDIR /var/lib/driftguard
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["/usr/local/bin/driftguard"]
CMD ["--help"]
