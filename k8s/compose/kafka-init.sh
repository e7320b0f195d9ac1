#!/usr/bin/env bash
# One-shot, at every `docker compose up`: Windlass's Kafka topics, SCRAM-SHA-512 users and ACLs
# (docs/security.md, "Kafka"; the same table as dev-stack's KafkaAccess), created as the super user
# admin over the broker's admin-only BROKER listener (SASL PLAIN, password in the broker's JAAS
# configuration: the apache/kafka image cannot create SCRAM users when it formats its storage).
# Every step is idempotent. Passwords come from the environment (.env).
set -euo pipefail

bin=/opt/kafka/bin
bootstrap=${WINDLASS_KAFKA_ADMIN_BOOTSTRAP:-kafka:9094}
partitions=${WINDLASS_KAFKA_PARTITIONS:-3}
requests=windlass.deploy.requests.v1
status=windlass.deploy.status.v1
dlq=windlass.deploy.requests.dlq.v1
orchestrators=windlass.orchestrator.events.v1
health=windlass.app.health.v1

admin_config=$(mktemp)
trap 'rm -f "$admin_config"' EXIT
cat >"$admin_config" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${WINDLASS_KAFKA_ADMIN_PASSWORD}";
EOF
as_admin=(--bootstrap-server "$bootstrap" --command-config "$admin_config")

user() { # name password
  "$bin/kafka-configs.sh" "${as_admin[@]}" --alter --entity-type users --entity-name "$1" \
    --add-config "SCRAM-SHA-512=[password=$2]"
}
allow() { # principal, then kafka-acls.sh resource and operation options
  local principal=$1
  shift
  "$bin/kafka-acls.sh" "${as_admin[@]}" --add --allow-principal "User:$principal" "$@" >/dev/null
}
topic() { # name, then kafka-topics.sh options
  local name=$1
  shift
  "$bin/kafka-topics.sh" "${as_admin[@]}" --create --if-not-exists --topic "$name" \
    --partitions "$partitions" --replication-factor 1 "$@"
}

# The deployer judges a request's token at the broker's append time, which a producer cannot set.
topic "$requests" --config message.timestamp.type=LogAppendTime
# A requests topic made before (by an older compose file, on first use) gets the setting too.
"$bin/kafka-configs.sh" "${as_admin[@]}" --alter --entity-type topics --entity-name "$requests" \
  --add-config message.timestamp.type=LogAppendTime
topic "$status"
topic "$dlq"
topic "$orchestrators"
topic "$health"

# admin also gets a SCRAM credential, for operators' tools on the CLIENT listener (9092).
user admin "$WINDLASS_KAFKA_ADMIN_PASSWORD"

user deployer-service "$WINDLASS_KAFKA_DEPLOYER_PASSWORD"
allow deployer-service --topic "$requests" --operation Read --operation Write --operation Describe
allow deployer-service --group windlass-deployer --operation Read
allow deployer-service --topic "$status" --operation Write --operation Describe
allow deployer-service --topic "$dlq" --operation Write --operation Describe
allow deployer-service --topic "$health" --operation Write --operation Describe
allow deployer-service --topic "$orchestrators" --operation Read --operation Describe
allow deployer-service --group windlass-deployer-connections- --resource-pattern-type prefixed --operation Read

user registry-service "$WINDLASS_KAFKA_REGISTRY_PASSWORD"
allow registry-service --topic "$orchestrators" --operation Write --operation Describe

# External request producers (CI systems, image watchers): "name:password name:password ...".
for producer in ${WINDLASS_KAFKA_REQUEST_PRODUCERS:-}; do
  name=${producer%%:*}
  password=${producer#*:}
  user "$name" "$password"
  allow "$name" --topic "$requests" --operation Write --operation Describe
done

echo "kafka-init: Windlass topics, users and ACLs are in place"
