# What the benchmarks that drive a merlai serve of their own share. Sourced from the repository root, not run.

# One line about this machine and its load, for every benchmark's figures.
machine_line() {
  echo "$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# serve_start DATA [merlai serve options...]: starts merlai serve with its data in DATA on free ports everywhere (0, so a
# merlai serve already running on the defaults is not disturbed) and waits until it runs. Sets serve (its pid), api (the
# HTTP API) and live (the live API). serve_stop, which the EXIT trap calls, stops it and removes DATA.
serve_start() {
  serve_data=$1; shift
  bin/merlai serve --data "$serve_data" --s3-port 0 --redis-port 0 --http-port 0 --render-port 0 --recommend-port 0 \
    --train-port 0 --router-port 0 "$@" > "$serve_data/serve.log" 2>&1 &
  serve=$!
  trap serve_stop EXIT
  for _ in $(seq 1 240); do
    grep -q '^Merlai is running' "$serve_data/serve.log" && break
    kill -0 $serve 2>/dev/null || { cat "$serve_data/serve.log"; echo "merlai serve stopped" >&2; exit 1; }
    sleep 1
  done
  grep -q '^Merlai is running' "$serve_data/serve.log" || { echo "merlai serve did not start in 4 minutes" >&2; exit 1; }
  api=$(sed -n 's/^  HTTP API *\(http[^ ]*\).*/\1/p' "$serve_data/serve.log" | head -1)
  live=$(sed -n 's/^  live API *\(ws[^ ]*\).*/\1/p' "$serve_data/serve.log" | head -1)
}

serve_stop() {
  kill -TERM $serve 2>/dev/null
  wait $serve 2>/dev/null || true
  rm -rf "$serve_data"
}

# tenant_key NAME PLAN: creates the tenant NAME on PLAN with the admin token of the merlai serve started above; prints its API key.
tenant_key() {
  curl -sf -H "Authorization: Bearer $(cat "$serve_data/admin-token")" -H 'Content-Type: application/json' \
    -d "{\"tenant\": \"$1\", \"plan\": \"$2\"}" "$api/admin/tenants" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])'
}
