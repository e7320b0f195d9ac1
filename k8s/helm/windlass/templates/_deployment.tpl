{{/*
A Deployment and its Service for one Windlass service.
Call with (dict "root" $ "component" "registry-service" "env" <yaml list> "envFrom" <yaml list>
"serviceAccount" <name> "automountToken" <bool>).
*/}}
{{- define "windlass.deployment" -}}
{{- $root := .root -}}
{{- $svc := index (include "windlass.services" $root | fromYaml) .component -}}
{{- $values := index $root.Values $svc.key -}}
{{- $workdir := include "windlass.workingDir" $root -}}
{{- $uid := include "windlass.runAsUser" $root | int -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "windlass.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "windlass.componentLabels" . | nindent 4 }}
spec:
  {{- if not $values.autoscaling.enabled }}
  replicas: {{ $values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "windlass.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "windlass.componentLabels" . | nindent 8 }}
        {{- with $root.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # Roll the pods when the mounted configuration changes.
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        {{- with $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ .serviceAccount }}
      automountServiceAccountToken: {{ .automountToken }}
      {{- with $root.Values.image.pullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
        runAsUser: {{ $uid }}
        runAsGroup: {{ $uid }}
      {{- with $root.Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "windlass.image" . | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          workingDir: {{ $workdir }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
          env:
            - name: QUARKUS_HTTP_PORT
              value: {{ $svc.port | quote }}
            {{- include "windlass.commonEnv" $root | nindent 12 }}
            {{- .env | trim | nindent 12 }}
            {{- with $values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- with .envFrom }}
          envFrom:
            {{- . | nindent 12 }}
          {{- end }}
          startupProbe:
            httpGet: {path: /q/health/started, port: http}
            periodSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet: {path: /q/health/live, port: http}
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: /q/health/ready, port: http}
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: {{ $workdir }}/config
              readOnly: true
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpSizeLimit }}
        - name: config
          configMap:
            name: {{ include "windlass.fullname" $root }}-config
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "windlass.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "windlass.componentLabels" . | nindent 4 }}
spec:
  type: {{ $values.service.type }}
  selector:
    {{- include "windlass.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $values.service.port }}
      targetPort: http
      protocol: TCP
{{- if $values.autoscaling.enabled }}
---
apiVersion: {{ include "windlass.hpa.apiVersion" $root }}
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "windlass.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "windlass.componentLabels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "windlass.componentName" . }}
  minReplicas: {{ $values.autoscaling.minReplicas }}
  maxReplicas: {{ $values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $values.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- if $values.podDisruptionBudget.enabled }}
---
apiVersion: {{ include "windlass.pdb.apiVersion" $root }}
kind: PodDisruptionBudget
metadata:
  name: {{ include "windlass.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "windlass.componentLabels" . | nindent 4 }}
spec:
  {{- if hasKey $values.podDisruptionBudget "maxUnavailable" }}
  maxUnavailable: {{ $values.podDisruptionBudget.maxUnavailable }}
  {{- else }}
  minAvailable: {{ $values.podDisruptionBudget.minAvailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "windlass.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}
