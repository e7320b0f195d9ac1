#!/usr/bin/env bash
# Deploys a sample app to orchestrator "local" of a running ./windlass-local, through the
# gateway as the dev user "deployer", and prints its phases as they happen (server-sent events).
# Exits 0 when the deployment SUCCEEDED.
#
#   scripts/deploy-sample.sh [--state DIR] [--app NAME] [--image IMAGE] [--namespace NS]
#                            [--orchestrator NAME] [--replicas N]
#
# DEV ONLY: the token comes from the dev issuer's password grant, which checks no password and
# exists only in the dev stack (a real Authentik is not asked for tokens this way here).
# Needs curl; reads the endpoints from <state>/endpoints.env, written by ./windlass-local.
set -euo pipefail
caller="$PWD"
cd "$(dirname "$0")/.."
state=.windlass app=hello image=nginx:1.27 namespace=demo orchestrator=local replicas=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --state) state="$(cd "$caller" && realpath -m "$2")"; shift 2 ;;
    --app) app="$2"; shift 2 ;;
    --image) image="$2"; shift 2 ;;
    --namespace) namespace="$2"; shift 2 ;;
    --orchestrator) orchestrator="$2"; shift 2 ;;
    --replicas) replicas="$2"; shift 2 ;;
    *) echo "deploy-sample: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ ! -f "$state/endpoints.env" ]]; then
  echo "deploy-sample: $state/endpoints.env is missing: is ./windlass-local running (and ready)?" >&2
  exit 1
fi
# shellcheck source=/dev/null
source "$state/endpoints.env"

# 1. A token for the dev user "deployer" (password grant of the dev issuer; dev only).
token_json=$(curl -fsS -X POST "${WINDLASS_OIDC_ISSUER%/}/token" \
  -d grant_type=password -d username=deployer -d password=deployer-dev-password \
  -d client_id=windlass -d 'scope=openid profile email')
token=$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' <<<"$token_json" | head -n1)
[[ -n "$token" ]] || { echo "deploy-sample: the issuer gave no access token" >&2; exit 1; }

# 2. The deployment, through the gateway.
body=$(printf '{"orchestrator":"%s","namespace":"%s","spec":{"name":"%s","image":"%s","replicas":%s,"ports":[{"name":"http","containerPort":80}]}}' \
  "$orchestrator" "$namespace" "$app" "$image" "$replicas")
headers=$(mktemp)
answer=$(mktemp)
trap 'rm -f "$headers" "$answer"' EXIT
status=$(curl -sS -o "$answer" -D "$headers" -w '%{http_code}' -X POST "$WINDLASS_GATEWAY_URL/api/deployments" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body") || true
if [[ "$status" != 202 ]]; then
  echo "deploy-sample: the gateway answered $status" >&2
  cat "$answer" >&2
  echo >&2
  exit 1
fi
location=$(tr -d '\r' <"$headers" | sed -n 's/^[Ll]ocation: *//p')
id="${location##*/}"
echo "deploy-sample: deployment $id of $app ($image) to $orchestrator/$namespace"

# 3. Its phases as they happen; the stream ends after a final phase.
final=""
while IFS= read -r line; do
  line="${line%$'\r'}"
  [[ "$line" == data:* ]] || continue
  phase=$(sed -n 's/.*"phase" *: *"\([A-Z_]*\)".*/\1/p' <<<"$line")
  message=$(sed -n 's/.*"message" *: *"\(\([^"\\]\|\\.\)*\)".*/\1/p' <<<"$line" | sed 's/\\"/"/g')
  printf '  %-12s %s\n' "$phase" "$message"
  final="$phase"
done < <(curl -sS -N --max-time 300 -H 'Accept: text/event-stream' \
  -H "Authorization: Bearer $token" "$WINDLASS_GATEWAY_URL/api/deployments/$id/events")
[[ "$final" == SUCCEEDED ]]
