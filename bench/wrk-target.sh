# Sourced by publish-startup.sh and memory-limit.sh: the gateway config and the wrk scripts both use, so that their
# figures are for the same deployment, key and request as each other's.

# write_gateway_config FILE UPSTREAM_PORT [alerting]: one deployment on the bench's fake upstream, the master key, and
# with "alerting" PagerDuty alerting at thresholds a healthy run never reaches.
write_gateway_config() {
  cat >"$1" <<EOF2
model_list:
  - model_name: bench-model
    litellm_params:
      model: openai/bench-model
      api_base: http://127.0.0.1:$2/v1
      api_key: sk-bench-upstream-key
    model_info:
      id: bench-deployment-1
general_settings:
  master_key: sk-bench-master-key
EOF2
  if [ "${3:-}" = alerting ]; then
    cat >>"$1" <<'EOF2'
  alerting: ["pagerduty"]
  alerting_args:
    failure_threshold: 1000000
    failure_threshold_window_seconds: 60
    hanging_threshold_seconds: 300
    hanging_threshold_window_seconds: 600
EOF2
  fi
}

# write_wrk_script FILE chat|stream: a wrk Lua script POSTing a one-line chat completion, streamed or not.
write_wrk_script() {
  local stream=""
  [ "$2" = stream ] && stream='"stream": true, '
  cat >"$1" <<EOF2
wrk.method = "POST"
wrk.body = '{"model": "bench-model", ${stream}"messages": [{"role": "user", "content": "hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench-master-key"
EOF2
}
