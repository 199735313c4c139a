"""The measurements of benchmarks/fault-injection.sh against the merlai serve it started (see there).

Reads the servers' addresses from serve.log and the admin token from the data dir; finds the children of merlai serve by
their parent process (the serve's pid), so it only ever signals processes that serve started. Prints one line per check
and, last, all counts as one JSON object.
"""
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

MODE = os.environ["FAULTS_MODE"]
SMOKE = MODE == "--smoke"
DATA = os.environ["FAULTS_DATA"]
SERVE = int(os.environ["FAULTS_SERVE_PID"])
ROOT = os.environ["FAULTS_ROOT"]
LOG = open(os.path.join(DATA, "serve.log"), encoding="utf-8").read()


def address(label):
    return re.search(r"^  " + re.escape(label) + r"\s+(http://\S+)", LOG, re.M).group(1).rstrip("/")


API = address("HTTP API (complete)")
ACCOUNT = address("account API")
FUNCTIONS = {"complete": API, "recommend-plugin": address("plugins API"), "render-midi": address("render-midi"),
             "train-trigger": address("training API"), "router": address("event router")}
ADMIN = open(os.path.join(DATA, "admin-token")).read().strip()
s3 = boto3.client("s3", endpoint_url=address("S3"), aws_access_key_id="merlai", aws_secret_access_key="merlai-secret",
                  region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 10}))
BUCKET = "merlai"
MELODY = open(os.path.join(ROOT, "examples/ode-to-joy.json"), "rb").read()
counts = {"mode": "smoke" if SMOKE else "full"}


def http(method, url, body=None, headers=None, timeout=60):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None and "Content-Type" not in request.headers:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, OSError) as e:
        return -1, str(e).encode()


def tenant(name, plan="pro"):
    # a 503 says "try again later" (the object store answered slowly on a loaded machine): a client retries it
    for attempt in range(6):
        status, body = http("POST", ACCOUNT + "/admin/tenants", {"tenant": name, "plan": plan}, {"Authorization": "Bearer " + ADMIN})
        if status != 503:
            break
        time.sleep(2)
    if status != 201:
        raise SystemExit(f"cannot create tenant {name}: {status} {body[:300]}")
    return json.loads(body)["apiKey"]


def keys(prefix):
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        found += [o["Key"] for o in page.get("Contents", [])]
    return found


def jobs(name):
    """The tenant's job records, by job id."""
    records = {}
    for key in keys(f"tenants/{name}/results/"):
        if key.endswith("/job.json"):
            try:
                record = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
                records[record["job"]] = record
            except Exception:  # written meanwhile
                pass
    return records


def billed_twice(name):
    """Jobs with more than one usage record of the same unit (a record is one object per job and unit: a second
    would be a second key), and the reconcile differences between the records and the counters."""
    units = {}
    for key in keys(f"system/usage/{name}/"):
        parts = key.split("/")
        if len(parts) == 5 and parts[4].endswith(".json"):
            units.setdefault((parts[3], parts[4]), 0)
            units[(parts[3], parts[4])] += 1
    return sum(1 for n in units.values() if n > 1)


def reconcile_differences():
    status, body = http("POST", ACCOUNT + "/admin/usage/reconcile", None, {"Authorization": "Bearer " + ADMIN})
    return json.loads(body).get("differences") if status == 200 else f"HTTP {status}"


def dead_letters():
    return len([f for f in os.listdir(os.path.join(DATA, "dead-letters")) if f.endswith(".json")])


def children():
    """merlai serve's children now: name -> pid."""
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(SERVE)], capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        pid, args = line.strip().split(" ", 1)
        for name in ("complete", "recommend-plugin", "render-midi", "train-trigger"):
            if f"functions/{name}/target" in args:
                found[name] = int(pid)
        if "redis-server" in args:
            found["redis"] = int(pid)
        if "s3proxy" in args:
            found["s3proxy"] = int(pid)
    return found


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0


def restarted(name, killed, deadline):
    while time.time() < deadline:
        pid = children().get(name)
        if pid and pid != killed:
            if name in FUNCTIONS and http("GET", FUNCTIONS[name] + "/q/health/ready", timeout=5)[0] == 200:
                return True
            if name not in FUNCTIONS:
                return True
        time.sleep(0.5)
    return False


def final(record):
    return record["state"] in ("done", "failed")


def wait_for(name, inputs, until):
    """Waits until every input has a final job (or the time is up); returns input -> record."""
    while True:
        by_input = {r["input"]: r for r in jobs(name).values()}
        if all(i in by_input and final(by_input[i]) for i in inputs) or time.time() > until:
            return by_input
        time.sleep(1)


# (a) kill -9 of each child while uploads flow
kills = {}
uploads = 3 if SMOKE else 30
for number, child in enumerate(["complete"] if SMOKE else ["complete", "recommend-plugin", "render-midi", "train-trigger", "redis", "s3proxy"]):
    name = f"kill{number}"
    tenant(name)
    letters_before = dead_letters()
    inputs = [f"tenants/{name}/inbox/song-{i}.json" for i in range(uploads)]
    killed, restarted_at = None, None
    for i, key in enumerate(inputs):
        for attempt in range(60):  # S3 itself may be the child just killed
            try:
                s3.put_object(Bucket=BUCKET, Key=key, Body=MELODY, ContentType="application/json")
                break
            except Exception:
                time.sleep(1)
        if i == uploads // 3:
            killed = children()[child]
            os.kill(killed, 9)
            ok = restarted(child, killed, time.time() + 300)
            restarted_at = time.time() if ok else None
        time.sleep(0.2)
    by_input = wait_for(name, inputs, (restarted_at or time.time()) + 60)
    done = sum(1 for i in inputs if by_input.get(i, {}).get("state") == "done")
    by_input = wait_for(name, inputs, time.time() + 300)  # the bar is 60 s; on a loaded machine, did they finish at all?
    kills[child] = {"uploads": uploads, "restarted": restarted_at is not None, "doneWithin60sOfRestart": done,
                    "doneEventually": sum(1 for i in inputs if by_input.get(i, {}).get("state") == "done"),
                    "deadLetters": dead_letters() - letters_before, "billedTwice": billed_twice(name)}
    print(f"(a) kill -9 {child}: restarted {restarted_at is not None}, {done}/{uploads} done within 60 s of the restart "
          f"({kills[child]['doneEventually']} in the end), "
          f"{kills[child]['deadLetters']} dead letters, {kills[child]['billedTwice']} billed twice", flush=True)
counts["kill"] = kills

# (b) load: 20 requests/s for 60 s
rate, seconds = (2, 3) if SMOKE else (20, 60)
load_key = tenant("load")
wrk = subprocess.run(["wrk", "-t", "2", "-c", "8", "-d", f"{seconds}s", "--timeout", "30s", "-s", os.path.join(ROOT, "benchmarks/load.lua"),
                      API + "/v1/completions"], capture_output=True, text=True,
                     env=dict(os.environ, LOAD_SONG=os.path.join(ROOT, "examples/ode-to-joy.json"), LOAD_API_KEY=load_key,
                              LOAD_RATE=str(rate), LOAD_THREADS="2"))
answered = {int(status): int(n) for status, n in re.findall(r"^status (\d+): (\d+)", wrk.stdout, re.M)}
# every job the server accepted, answered before wrk stopped or not, must end done or failed
settle = time.time() + (180 if SMOKE else 300)
while time.time() < settle and not all(final(r) for r in jobs("load").values()):
    time.sleep(2)
records = jobs("load").values()
counts["load"] = {"rate": rate, "seconds": seconds, "answers": answered, "accepted": len(records),
                  "done": sum(1 for r in records if r["state"] == "done"),
                  "failed": sum(1 for r in records if r["state"] == "failed"),
                  "failedWithoutReason": sum(1 for r in records if r["state"] == "failed" and not r.get("error")),
                  "stuck": sum(1 for r in records if not final(r)), "billedTwice": billed_twice("load")}
print(f"(b) load {rate}/s for {seconds} s: {counts['load']}", flush=True)

# (c) an upload named with emoji and CJK
tenant("unicode")
unicode_key = "tenants/unicode/inbox/\u2713 \U0001F3B5 \u591C\u66F2.json"
s3.put_object(Bucket=BUCKET, Key=unicode_key, Body=MELODY, ContentType="application/json")
record = wait_for("unicode", [unicode_key], time.time() + 120).get(unicode_key)
counts["unicodeUpload"] = record["state"] if record else "no job"
print(f"(c) upload named {unicode_key!r}: {counts['unicodeUpload']}", flush=True)

# (d) a 300 MB upload: the answer and complete's RSS growth
big_key = tenant("big")
if SMOKE:
    counts["bigUpload"] = "skipped in smoke mode"
else:
    pid = children()["complete"]
    before = rss_mb(pid)
    big = b'{"score": {"notes": [' + b"0," * (150 * 1024 * 1024) + b"0]}}"
    status, body = http("POST", API + "/v1/completions", big, {"Authorization": "Bearer " + big_key}, timeout=300)
    time.sleep(2)
    counts["bigUpload"] = {"status": status, "rssGrowthMb": round(rss_mb(pid) - before), "bar": "refused, RSS growth under 50 MB"}
print(f"(d) 300 MB upload: {counts['bigUpload']}", flush=True)

# (e) forged, unsigned events to every function and the router
tenant("victim")
s3.put_object(Bucket=BUCKET, Key="tenants/victim/inbox/secret.json", Body=MELODY, ContentType="application/json")
# the watcher's own (signed) event arranges it: its files are written before the count starts, so only the forged events count
wait_for("victim", ["tenants/victim/inbox/secret.json"], time.time() + 180)
before = set(keys("tenants/victim/")) | set(keys("system/usage/victim/"))
forged = {}
events = {"complete": "dev.merlai.melody.uploaded", "recommend-plugin": "dev.merlai.arrangement.completed",
          "render-midi": "dev.merlai.plugins.recommended", "train-trigger": "dev.merlai.training.requested",
          "router": "dev.merlai.melody.uploaded"}
for target, type_ in events.items():
    data = {"tenant": "victim", "key": "tenants/victim/inbox/secret.json", "job": "forged-" + target, "set": "x", "inline": True}
    status, _ = http("POST", FUNCTIONS[target] + "/", data, {"ce-specversion": "1.0", "ce-id": "forged-" + target, "ce-source": "/attacker",
                                                              "ce-type": type_, "Content-Type": "application/json"})
    forged[target] = status
time.sleep(10)
after = set(keys("tenants/victim/")) | set(keys("system/usage/victim/"))
counts["forgedEvents"] = {"answers": forged, "sideEffects": len(after - before)}
print(f"(e) forged events: answers {forged}, {len(after - before)} objects written for the victim", flush=True)

# (f) Redis stopped: a spent quota and readiness
def readiness_degraded(body):
    """Whether /q/health/ready says so: DOWN, or its redis check's data.degraded (read as JSON, whatever its layout)."""
    try:
        health = json.loads(body)
    except ValueError:
        return False
    return health.get("status") == "DOWN" or any(check.get("name") == "redis" and check.get("data", {}).get("degraded") is True
                                                 for check in health.get("checks", []))


spent_key = tenant("spent", "free")
spent_status = 0
for _ in range(40):  # the free plan's 100 bars run out (its rate: 2 requests/s)
    spent_status, _ = http("POST", API + "/v1/completions", {"score": json.loads(MELODY)}, {"Authorization": "Bearer " + spent_key})
    if spent_status == 402:
        break
    time.sleep(0.6)
redis = children()["redis"]
open(os.path.join(DATA, "stopped.pid"), "w").write(str(redis))
os.kill(redis, 19)  # SIGSTOP: Redis hangs, as a dead network would
try:
    refused_status, _ = http("POST", API + "/v1/completions", {"score": json.loads(MELODY)}, {"Authorization": "Bearer " + spent_key}, timeout=30)
    ready_status, ready = http("GET", API + "/q/health/ready", timeout=30)
finally:
    os.kill(redis, 18)  # SIGCONT
counts["redisDown"] = {"quotaSpent": spent_status == 402, "lastAnswerBeforeStop": spent_status, "spentTenantAnswer": refused_status,
                       "spentTenantRefused": refused_status in (402, 429, 503), "readiness": ready_status,
                       "readinessSaysDegraded": readiness_degraded(ready)}
print(f"(f) Redis stopped: {counts['redisDown']}", flush=True)

# (g) keys that climb out of the tenant's prefix
alpha = tenant("alpha")
tenant("beta")
s3.put_object(Bucket=BUCKET, Key="tenants/beta/inbox/secret.json", Body=MELODY, ContentType="application/json")
leaks, answers = 0, {}
for key in ["tenants/alpha/../beta/inbox/secret.json", "tenants/alpha//../beta/inbox/secret.json",
            "tenants/alpha/%2e%2e/beta/inbox/secret.json", "tenants/alpha/%2E%2E/beta/inbox/secret.json", "tenants/ALPHA/../beta/inbox/secret.json",
            "tenants/alpha/inbox/../../beta/inbox/secret.json", "tenants/alpha/" + "a/" * 400 + "../" * 400 + "../beta/inbox/secret.json"]:
    status, body = http("POST", API + "/v1/completions", {"key": key, "inline": True}, {"Authorization": "Bearer " + alpha})
    answers[key[:60]] = status
    if status == 200:
        leaks += 1
counts["traversal"] = {"answers": answers, "otherTenantRead": leaks}
print(f"(g) traversal keys: {leaks} read another tenant's object; answers {answers}", flush=True)

print(json.dumps(counts))
