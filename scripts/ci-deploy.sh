#!/usr/bin/env bash
# Deploys one app from a CI pipeline: a client-credentials token of a service account from
# Authentik, then the request over HTTP (through the gateway) or straight onto Kafka with kcat.
#
#   scripts/ci-deploy.sh [--kafka BOOTSTRAP] request.json
#   scripts/ci-deploy.sh [--kafka BOOTSTRAP] --image ORCHESTRATOR/NAMESPACE/APP IMAGE
#
# request.json is the body of POST /api/deployments: {"orchestrator", "namespace", "spec"}; its
# spec.secretEnv values may be in the clear in the file (keep it out of the repository: write it in
# the pipeline from its secret store). Over HTTP the gateway takes them over TLS and the deployer
# seals them; over Kafka this script seals each one first (scripts/SealSecret.java, a JWE to the
# deployer's GET /api/sealing-keys), so no value reaches the topic in the clear.
#
# With --image, only the app's image changes: its newest revision is applied again with IMAGE and
# everything else (secret values included) as it is (POST /api/apps/{o}/{ns}/{app}/image, or an
# UPDATE_IMAGE request on Kafka) — for a pipeline that only built a new image.
#
# Environment:
#   WINDLASS_URL              the gateway's URL (https://windlass.example.com)
#   WINDLASS_OIDC_ISSUER      Authentik's issuer of the Windlass application
#                             (https://authentik.example.com/application/o/windlass/)
#   WINDLASS_OIDC_CLIENT_ID   the application's client id (default: windlass)
#   WINDLASS_CI_ACCOUNT       the service account, member of a deployers group (e.g. windlass-ci)
#   WINDLASS_CI_APP_PASSWORD  its app password (an Authentik token with intent "app password")
#   KCAT_OPTS                 extra kcat options for the broker (e.g. -X security.protocol=SASL_SSL …)
#
# Prints the deployment id; exits non-zero when the request was not taken. Needs curl, jq, a JDK
# (for sealing) and, with --kafka, kcat built with librdkafka 2.6.1 or later: older librdkafka cannot
# sign in to Kafka 4 with SCRAM (Debian 12's kcat has 2.0.2).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kafka=""
if [[ "${1:-}" == "--kafka" ]]; then
  kafka="$2"
  shift 2
fi
target=""
if [[ "${1:-}" == "--image" ]]; then
  target="${2:?usage: ci-deploy.sh [--kafka BOOTSTRAP] --image ORCHESTRATOR/NAMESPACE/APP IMAGE}"
  image="${3:?usage: ci-deploy.sh [--kafka BOOTSTRAP] --image ORCHESTRATOR/NAMESPACE/APP IMAGE}"
  IFS=/ read -r orchestrator namespace app <<<"$target"
  [[ -n "$orchestrator" && -n "$namespace" && -n "$app" ]] || { echo "ci-deploy: --image needs ORCHESTRATOR/NAMESPACE/APP" >&2; exit 2; }
else
  request="${1:?usage: ci-deploy.sh [--kafka BOOTSTRAP] request.json}"
fi
: "${WINDLASS_URL:?}" "${WINDLASS_OIDC_ISSUER:?}" "${WINDLASS_CI_ACCOUNT:?}" "${WINDLASS_CI_APP_PASSWORD:?}"
client_id="${WINDLASS_OIDC_CLIENT_ID:-windlass}"

# 1. A client-credentials token, as Authentik's token endpoint issues them to a service account.
token_endpoint=$(curl -fsS "${WINDLASS_OIDC_ISSUER%/}/.well-known/openid-configuration" | jq -r .token_endpoint)
token=$(curl -fsS "$token_endpoint" \
  --data-urlencode grant_type=client_credentials \
  --data-urlencode client_id="$client_id" \
  --data-urlencode username="$WINDLASS_CI_ACCOUNT" \
  --data-urlencode password="$WINDLASS_CI_APP_PASSWORD" \
  --data-urlencode 'scope=openid profile' | jq -r .access_token)
[[ -n "$token" && "$token" != null ]] || { echo "ci-deploy: no access token from $token_endpoint" >&2; exit 1; }

# Writes the request on stdin to the requests topic, keyed by its app, with the token in its header.
produce() {
  # shellcheck disable=SC2086
  kcat -P -b "$kafka" -t windlass.deploy.requests.v1 -k "$orchestrator/$namespace/$app" ${KCAT_OPTS:-} \
    -H ce_specversion=1.0 -H "ce_id=$(cat /proc/sys/kernel/random/uuid)" -H ce_source=/ci/ci-deploy \
    -H ce_type=dev.windlass.deployment.requested.v1 -H "ce_time=$now" \
    -H "ce_subject=$orchestrator/$namespace/$app" -H content-type=application/json \
    -H "authorization=Bearer $token"
}

if [[ -n "$target" ]]; then
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  if [[ -z "$kafka" ]]; then
    # 2a. Over HTTP: the API takes the app's newest revision with the new image and answers 202.
    jq -n --arg image "$image" '{image: $image}' |
      curl -fsS -X POST "${WINDLASS_URL%/}/api/apps/$orchestrator/$namespace/$app/image" \
        -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: ${CI_JOB_ID:-$(cat /proc/sys/kernel/random/uuid)}" \
        --data-binary @- | jq -r .id
    exit 0
  fi
  # 2b. Over Kafka: an UPDATE_IMAGE request, nothing to seal.
  id=$(cat /proc/sys/kernel/random/uuid)
  jq -nc --arg id "$id" --arg now "$now" --arg o "$orchestrator" --arg n "$namespace" --arg a "$app" \
    --arg image "$image" '{deploymentId: $id, action: "UPDATE_IMAGE", orchestrator: $o, namespace: $n,
    app: $a, image: $image, requestedBy: {subject: "ci"}, requestedAt: $now}' |
    produce
  echo "$id"
  exit 0
fi

if [[ -z "$kafka" ]]; then
  # 2a. Over HTTP: the API stores the request and answers 202 with the deployment.
  curl -fsS -X POST "${WINDLASS_URL%/}/api/deployments" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: ${CI_JOB_ID:-$(cat /proc/sys/kernel/random/uuid)}" \
    --data-binary @"$request" | jq -r .id
  exit 0
fi

# 2b. Over Kafka: seal every secret value, then write the request with the token in its header.
jwks=$(mktemp)
trap 'rm -f "$jwks"' EXIT
curl -fsS -H "Authorization: Bearer $token" "${WINDLASS_URL%/}/api/sealing-keys" >"$jwks"
body=$(cat "$request")
for name in $(jq -r '.spec.secretEnv // {} | keys[]' <<<"$body"); do
  sealed=$(jq -j --arg n "$name" '.spec.secretEnv[$n]' <<<"$body" | java "$here/SealSecret.java" "$jwks")
  body=$(jq -c --arg n "$name" --arg v "$sealed" '.spec.secretEnv[$n] = $v' <<<"$body")
done
id=$(cat /proc/sys/kernel/random/uuid)
orchestrator=$(jq -r .orchestrator <<<"$body")
namespace=$(jq -r .namespace <<<"$body")
app=$(jq -r .spec.name <<<"$body")
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# requestedBy is required by the schema but not taken: the deployer reads who asked from the token
jq -c --arg id "$id" --arg now "$now" '{deploymentId: $id, action: "APPLY", orchestrator, namespace,
  app: .spec.name, spec, requestedBy: {subject: "ci"}, requestedAt: $now}' <<<"$body" |
  produce
echo "$id"
