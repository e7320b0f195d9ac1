{{/* Chart name, overridable. */}}
{{- define "windlass.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every object name. */}}
{{- define "windlass.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "windlass.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "windlass.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: windlass
{{- end -}}

{{/* Selector labels of one component; call with (dict "root" $ "component" "identity-gateway"). */}}
{{- define "windlass.selectorLabels" -}}
app.kubernetes.io/name: {{ include "windlass.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* All labels of one component. */}}
{{- define "windlass.componentLabels" -}}
{{ include "windlass.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The three services: component name -> values key, port. */}}
{{- define "windlass.services" -}}
identity-gateway: {key: gateway, port: 8080}
registry-service: {key: registry, port: 8081}
deployer-service: {key: deployer, port: 8082}
{{- end -}}

{{/* Object name of one component, e.g. <fullname>-registry-service. */}}
{{- define "windlass.componentName" -}}
{{- printf "%s-%s" (include "windlass.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* In-cluster URL of a service. */}}
{{- define "windlass.serviceUrl" -}}
{{- $svc := index (include "windlass.services" .root | fromYaml) .component -}}
{{- $values := index .root.Values $svc.key -}}
{{- printf "http://%s:%v" (include "windlass.componentName" .) $values.service.port -}}
{{- end -}}

{{/* Image reference of a service, flavor-aware. */}}
{{- define "windlass.image" -}}
{{- $img := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $img.tag -}}
{{- if eq $img.flavor "native" -}}{{- $tag = printf "%s-native" $tag -}}{{- end -}}
{{- printf "%s/%s/%s:%s" $img.registry $img.repository .component $tag -}}
{{- end -}}

{{/* Non-root user of the image flavor: 185 in the JVM image, 1001 in the native one. */}}
{{- define "windlass.runAsUser" -}}
{{- if eq .Values.image.flavor "native" -}}1001{{- else -}}185{{- end -}}
{{- end -}}

{{/* Working directory of the image flavor; Quarkus reads <workdir>/config/application.properties. */}}
{{- define "windlass.workingDir" -}}
{{- if eq .Values.image.flavor "native" -}}/work{{- else -}}/home/jboss{{- end -}}
{{- end -}}

{{/* Name of the orchestrator ServiceAccount. */}}
{{- define "windlass.orchestratorServiceAccount" -}}
{{- default (printf "%s-orchestrator" (include "windlass.fullname" .)) .Values.orchestrator.serviceAccount.name -}}
{{- end -}}

{{/* Datasource URLs (JDBC and reactive) of a database; call with (dict "root" $ "db" .Values.postgresql.registry). */}}
{{- define "windlass.datasourceEnv" -}}
{{- $pg := .root.Values.postgresql -}}
{{- $query := ternary "" (printf "?%s" $pg.parameters) (empty $pg.parameters) -}}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s:%v/%s%s" $pg.host $pg.port .db.database $query | quote }}
- name: QUARKUS_DATASOURCE_REACTIVE_URL
  value: {{ printf "postgresql://%s:%v/%s%s" $pg.host $pg.port .db.database $query | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ .db.username | quote }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ default (printf "%s-%s" (include "windlass.fullname" .root) .secretSuffix) .db.existingSecret }}
      key: {{ ternary .db.existingSecretKey "database-password" (not (empty .db.existingSecret)) }}
{{- end -}}

{{/*
Kafka client environment of registry-service or deployer-service: the bootstrap servers and, with
kafka.sasl.enabled, its own SASL user (docs/security.md, "Kafka"). The password reaches
sasl.jaas.config through Kubernetes' $(VAR) reference to the variable defined just before it.
Call with (dict "root" $ "user" .Values.kafka.sasl.registry "secretSuffix" "registry-service").
*/}}
{{- define "windlass.kafkaEnv" -}}
{{- $kafka := .root.Values.kafka -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ $kafka.bootstrapServers | quote }}
{{- if $kafka.sasl.enabled }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ $kafka.sasl.securityProtocol | quote }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $kafka.sasl.mechanism | quote }}
- name: WINDLASS_KAFKA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ default (printf "%s-%s" (include "windlass.fullname" .root) .secretSuffix) .user.existingSecret }}
      key: {{ ternary .user.existingSecretKey "kafka-password" (not (empty .user.existingSecret)) }}
- name: KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"%s\" password=\"$(WINDLASS_KAFKA_PASSWORD)\";" .user.username | quote }}
{{- end }}
{{- end -}}

{{/* Environment shared by all three services. */}}
{{- define "windlass.commonEnv" -}}
- name: QUARKUS_OIDC_AUTH_SERVER_URL
  value: {{ .Values.oidc.issuerUrl | quote }}
- name: QUARKUS_OIDC_CLIENT_ID
  value: {{ .Values.oidc.clientId | quote }}
{{- end -}}

{{/*
Version-dependent API versions. Installing, the server's discovery answers (policy/v1 exists from
Kubernetes 1.21, autoscaling/v2 from 1.23). Templating offline, Helm's built-in list has every group
version, so the Kubernetes version (--kube-version) decides.
*/}}
{{- define "windlass.pdb.apiVersion" -}}
{{- if and (or (.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget") (.Capabilities.APIVersions.Has "policy/v1")) (semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version) -}}
policy/v1
{{- else -}}
policy/v1beta1
{{- end -}}
{{- end -}}

{{- define "windlass.hpa.apiVersion" -}}
{{- if and (or (.Capabilities.APIVersions.Has "autoscaling/v2/HorizontalPodAutoscaler") (.Capabilities.APIVersions.Has "autoscaling/v2")) (semverCompare ">=1.23-0" .Capabilities.KubeVersion.Version) -}}
autoscaling/v2
{{- else -}}
autoscaling/v2beta2
{{- end -}}
{{- end -}}
