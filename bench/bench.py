#!/usr/bin/env python3
"""The podc benchmark (run through bench/run.sh, which builds the binaries first).

Compares on this Docker daemon, interleaved round by round, podc with the floor
(examples/floor.rs: the bare Docker API calls doing the same work) and docker-compose, and
measures podc's supervisor at rest. Prints a table, writes bench/results.json and
bench/results.md. Only touches what it creates: podc pods named pcb-*, floor containers
labelled podc-bench.floor, the compose project pcbcompose, two pin containers pcb-pin-*.

Environment: BENCH_ROUNDS (7), BENCH_SCALE_ROUNDS (3), BENCH_SCALE (1,10,50), BENCH_PORT
(18091), BENCH_IDLE_SECONDS (60), BENCH_PS_RUNS (per scale round, 7), BENCH_VERSION_RUNS
(100), BENCH_OUT (where results.json and results.md go, default bench/), PODC (binary, default
target/release/podc), FLOOR (default target/release/examples/floor).
"""

import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def env_int(name, default):
    return int(os.environ.get(name, default))


ROUNDS = env_int("BENCH_ROUNDS", 7)
SCALE_ROUNDS = env_int("BENCH_SCALE_ROUNDS", min(3, ROUNDS))
SCALE = [int(k) for k in os.environ.get("BENCH_SCALE", "1,10,50").split(",")]
PORT = env_int("BENCH_PORT", 18091)
IDLE_SECONDS = env_int("BENCH_IDLE_SECONDS", 60)
PROBED_SECONDS = env_int("BENCH_PROBED_SECONDS", 30)
PS_RUNS = env_int("BENCH_PS_RUNS", 7)
VERSION_RUNS = env_int("BENCH_VERSION_RUNS", 100)

CLASSIC = "pcb-classic"
M10 = "pcb-m10"
IDLE = "pcb-idle"
PROBED = "pcb-probed"
SCALE_PREFIX = "pcb-s"
FLOOR_LABEL = "podc-bench.floor"
COMPOSE_PROJECT = "pcbcompose"
PINS = ["pcb-pin-pause", "pcb-pin-supervisor"]


class Failed(Exception):
    pass


def sh(argv, check=True, cwd=None, capture=True):
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        raise Failed(f"{' '.join(argv)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p.stdout


def children_cpu_ms():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r.ru_utime + r.ru_stime) * 1000


def timed(argv, cwd=None, cpu=None):
    """Runs argv, returns (t0_ns wall clock, elapsed ms, t1_ns); `cpu` gets its CPU ms."""
    c0 = children_cpu_ms()
    t0 = time.time_ns()
    p0 = time.perf_counter()
    p = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ms = (time.perf_counter() - p0) * 1000
    t1 = time.time_ns()
    if cpu is not None:
        cpu.append(children_cpu_ms() - c0)
    if p.returncode != 0:
        raise Failed(f"{' '.join(argv)} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return t0, ms, t1


def median(xs):
    return statistics.median(xs) if xs else None


# ---------------------------------------------------------------- manifests


def pod_doc(name, members, grace, port=None, probe=False):
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", f"  name: {name}", "spec:",
             f"  terminationGracePeriodSeconds: {grace}", "  containers:"]
    for m in members:
        lines += [f"    - name: {m['name']}", f"      image: {m['image']}"]
        if m.get("command"):
            lines.append(f"      command: {json.dumps(m['command'])}")
        if m.get("port"):
            lines += ["      ports:", f"        - containerPort: {m['port']}"]
            if m.get("host_port"):
                lines += [f"          hostPort: {m['host_port']}", "          hostIP: 127.0.0.1"]
        if probe:
            lines += ["      livenessProbe:", "        httpGet:", "          path: /hostname",
                      f"          port: {m['port']}", "        periodSeconds: 1"]
    return "\n".join(lines) + "\n"


def classic_doc(name, port):
    return pod_doc(name, [
        {"name": "web", "image": "podc/nginx:latest",
         "command": ["nginx", "-c", "/etc/nginx/proxy-blog.conf"], "port": 80, "host_port": port},
        {"name": "blog", "image": "podc/blog:latest", "port": 2368},
    ], 10)


def busybox_doc(name, n, grace=30):
    return pod_doc(name, [{"name": f"m{i}", "image": "podc/busybox:latest",
                           "command": ["sleep", "3600"]} for i in range(n)], grace)


def compose_file(pause_image, port):
    join = '    network_mode: "service:pause"\n    ipc: "service:pause"\n    pid: "service:pause"\n'
    return f"""# The classic pod for docker-compose v1: the same three containers, the members joined to
# the pause's namespaces. network_mode: bridge on the pause, so compose creates no project
# network (podc and the floor create none either): the same work.
version: "2.4"
services:
  pause:
    image: {pause_image}
    network_mode: bridge
    ipc: shareable
    hostname: {COMPOSE_PROJECT}
    ports: ["127.0.0.1:{port}:80"]
    stop_grace_period: 10s
  web:
    image: podc/nginx:latest
    entrypoint: ["nginx", "-c", "/etc/nginx/proxy-blog.conf"]
{join}    depends_on: [pause]
    stop_grace_period: 10s
  blog:
    image: podc/blog:latest
{join}    depends_on: [pause]
    stop_grace_period: 10s
"""


# ---------------------------------------------------------------- docker events


class Events:
    """`docker events` for containers, with daemon timestamps, for the whole run."""

    def __init__(self, path):
        self.path = path
        self.file = open(path, "w")
        self.proc = subprocess.Popen(
            ["docker", "events", "--format", "{{json .}}", "--filter", "type=container"],
            stdout=self.file, stderr=subprocess.DEVNULL, start_new_session=True)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()
        self.file.close()

    def load(self):
        self.file.flush()
        out = []
        with open(self.path) as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                attrs = (e.get("Actor") or {}).get("Attributes") or {}
                out.append((e.get("timeNano", 0), e.get("Action", e.get("status", "")),
                            attrs.get("name", ""), attrs))
        return out


def is_pause(name):
    return name.endswith("_POD") or "_pause_" in name


def is_helper(name):
    """podc's containers that are not the pod's: the spec record, the volume holder and filler."""
    return any(tag in name for tag in ("_SPEC", "_HOLDER", "_VOLUMES"))


def ours(name):
    return (name.startswith("pcb") or name.startswith(COMPOSE_PROJECT)
            or name == "podc-supervisor")


# ---------------------------------------------------------------- the run


class Bench:
    def __init__(self):
        self.podc_src = os.environ.get("PODC", os.path.join(REPO, "target/release/podc"))
        self.floor_src = os.environ.get("FLOOR",
                                        os.path.join(REPO, "target/release/examples/floor"))
        self.work = tempfile.mkdtemp(prefix="podc-bench.")
        # Private copies: others rebuilding target/ during the run change nothing here.
        self.podc = os.path.join(self.work, "podc")
        self.floor = os.path.join(self.work, "floor")
        shutil.copy2(self.podc_src, self.podc)
        shutil.copy2(self.floor_src, self.floor)
        self.compose_dir = os.path.join(self.work, "compose")
        os.mkdir(self.compose_dir)
        self.events = None
        self.runs = []  # {kind, tool, t0, t1, ms, pods: [names]}
        self.results = {}
        self.scale_pods = max(SCALE)
        os.environ.setdefault("BENCH_PODC_REV", podc_rev())

    def file(self, name, text):
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def log(self, msg):
        print(msg, file=sys.stderr, flush=True)

    # -- cleanup: only what this benchmark creates, by name or by its own label
    def cleanup(self):
        pods = [CLASSIC, M10, IDLE, PROBED] + [f"{SCALE_PREFIX}{i}" for i in range(self.scale_pods)]
        if os.path.exists(self.podc):
            sh([self.podc, "down"] + pods, check=False)
        if os.path.exists(os.path.join(self.compose_dir, "docker-compose.yml")):
            sh(["docker-compose", "-p", COMPOSE_PROJECT, "down", "-t", "10"], check=False,
               cwd=self.compose_dir)
        ids = sh(["docker", "ps", "-aq", "--filter", f"label={FLOOR_LABEL}"], check=False).split()
        if ids:
            sh(["docker", "rm", "-f"] + ids, check=False)

    def final_cleanup(self):
        self.cleanup()
        for pin in PINS:
            sh(["docker", "rm", "-f", pin], check=False)
        # The host supervisor and its image podc made for this run's private copy of itself (a
        # new tag for every run's copy); the next `podc up` starts the user's own again.
        if getattr(self, "supervisor_image_created", False):
            running = sh(["docker", "inspect", "-f", "{{.Config.Image}}", "podc-supervisor"],
                         check=False).strip()
            if running == self.supervisor_image:
                sh(["docker", "rm", "-f", "podc-supervisor"], check=False)
            sh(["docker", "image", "rm", self.supervisor_image], check=False)
        if self.events:
            self.events.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    # -- one measured command
    def run(self, kind, tool, argv, pods, cwd=None):
        cpu = []
        t0, ms, t1 = timed(argv, cwd=cwd, cpu=cpu)
        self.runs.append({"kind": kind, "tool": tool, "t0": t0, "t1": t1, "ms": ms,
                          "cpu_ms": cpu[0], "pods": pods})
        time.sleep(0.3)  # let the daemon finish its asynchronous cleanup between runs
        return ms

    def podc_up(self, kind, path, pods):
        return self.run(kind, "podc", [self.podc, "-o", "json", "up", "-d", path], pods)

    def podc_down(self, kind, pods):
        return self.run(kind, "podc", [self.podc, "-o", "json", "down"] + pods, pods)

    def floor_cmd(self, kind, verb, prefix, shape, pods_n=1, port=None, grace=10):
        argv = [self.floor, verb, "--prefix", prefix, "--shape", shape, "--pods", str(pods_n),
                "--grace", str(grace)]
        if verb == "up":
            argv += ["--pause-image", self.pause_image]
        if port:
            argv += ["--port", str(port)]
        names = [prefix] if pods_n == 1 else [f"{prefix}{i}" for i in range(pods_n)]
        return self.run(kind, "floor", argv, names)

    def prepare(self):
        self.log(f"bench: work dir {self.work}; podc {self.podc_src}")
        self.cleanup()
        self.events = Events(os.path.join(self.work, "events.jsonl"))
        time.sleep(0.5)
        # Warm-up: creates podc's pause and supervisor images for this binary if missing.
        classic = self.file("classic.yaml", classic_doc(CLASSIC, PORT))
        before = set(sh(["docker", "images", "-q", "--no-trunc", "podc/supervisor"]).split())
        sh([self.podc, "up", "-d", classic])
        self.pause_image = sh(["docker", "inspect", "-f", "{{.Config.Image}}",
                               f"{CLASSIC}_POD"]).strip()
        sup_image = sh(["docker", "inspect", "-f", "{{.Config.Image}}",
                        "podc-supervisor"]).strip()
        # Pins: a stopped container keeps each image from being pruned by another podc build.
        for pin, image in zip(PINS, [self.pause_image, sup_image]):
            sh(["docker", "rm", "-f", pin], check=False)
            sh(["docker", "create", "--name", pin, "--label", "podc-bench.pin=1", image])
        sh([self.podc, "down", CLASSIC])
        self.supervisor_image = sup_image
        sup_id = sh(["docker", "image", "inspect", "-f", "{{.Id}}", sup_image]).strip()
        self.supervisor_image_created = sup_id not in before
        with open(os.path.join(self.compose_dir, "docker-compose.yml"), "w") as f:
            f.write(compose_file(self.pause_image, PORT))
        # One unmeasured cycle of each tool.
        sh([self.floor, "up", "--prefix", "pcbf-classic", "--pause-image", self.pause_image,
            "--port", str(PORT)])
        sh([self.floor, "down", "--prefix", "pcbf-classic"])
        sh(["docker-compose", "-p", COMPOSE_PROJECT, "up", "-d"], cwd=self.compose_dir)
        sh(["docker-compose", "-p", COMPOSE_PROJECT, "down", "-t", "10"], cwd=self.compose_dir)

    # -- 1. the classic pod, up+down, three tools interleaved (order rotates every round)
    def classic(self):
        path = self.file("classic.yaml", classic_doc(CLASSIC, PORT))
        tools = ["podc", "floor", "compose"]
        for r in range(ROUNDS):
            order = tools[r % 3:] + tools[:r % 3]
            for tool in order:
                if tool == "podc":
                    self.podc_up("classic-up", path, [CLASSIC])
                    self.podc_down("classic-down", [CLASSIC])
                elif tool == "floor":
                    self.floor_cmd("classic-up", "up", "pcbf-classic", "classic", port=PORT)
                    self.floor_cmd("classic-down", "down", "pcbf-classic", "classic")
                else:
                    self.run("classic-up", "compose",
                             ["docker-compose", "-p", COMPOSE_PROJECT, "up", "-d"],
                             [COMPOSE_PROJECT], cwd=self.compose_dir)
                    self.run("classic-down", "compose",
                             ["docker-compose", "-p", COMPOSE_PROJECT, "down", "-t", "10"],
                             [COMPOSE_PROJECT], cwd=self.compose_dir)
            self.log(f"bench: classic round {r + 1}/{ROUNDS}")

    # -- 1b. the classic pod's first `up` when no supervisor runs yet (after a boot)
    def classic_cold(self):
        path = self.file("classic.yaml", classic_doc(CLASSIC, PORT))
        for r in range(SCALE_ROUNDS):
            sh(["docker", "rm", "-f", "podc-supervisor"])
            time.sleep(0.3)
            self.podc_up("classic-cold-up", path, [CLASSIC])
            self.podc_down("classic-cold-down", [CLASSIC])

    # -- 2. a 10-member pod (sleep members: SIGTERM ends them), podc vs floor
    def members10(self):
        path = self.file("m10.yaml", busybox_doc(M10, 10))
        for r in range(ROUNDS):
            order = ["podc", "floor"] if r % 2 == 0 else ["floor", "podc"]
            for tool in order:
                if tool == "podc":
                    self.podc_up("m10-up", path, [M10])
                    self.podc_down("m10-down", [M10])
                else:
                    self.floor_cmd("m10-up", "up", "pcbf-m10", "busybox:10", grace=30)
                    self.floor_cmd("m10-down", "down", "pcbf-m10", "busybox:10", grace=30)
            self.log(f"bench: 10-member round {r + 1}/{ROUNDS}")

    # -- 3. K pods of one member each, one multi-document file; `podc ps` at the largest K
    def scale(self):
        files = {}
        for k in SCALE:
            docs = [busybox_doc(f"{SCALE_PREFIX}{i}", 1) for i in range(k)]
            files[k] = self.file(f"scale{k}.yaml", "---\n".join(docs))
        self.ps = {"podc": [], "docker": [], "pods_seen": None}
        for r in range(SCALE_ROUNDS):
            for k in SCALE:
                names = [f"{SCALE_PREFIX}{i}" for i in range(k)]
                order = ["podc", "floor"] if r % 2 == 0 else ["floor", "podc"]
                for tool in order:
                    if tool == "podc":
                        self.podc_up(f"scale{k}-up", files[k], names)
                        if k == max(SCALE):
                            self.measure_ps()
                        self.podc_down(f"scale{k}-down", names)
                    else:
                        self.floor_cmd(f"scale{k}-up", "up", "pcbf-s", "busybox:1", k, grace=30)
                        self.floor_cmd(f"scale{k}-down", "down", "pcbf-s", "busybox:1", k,
                                       grace=30)
                self.log(f"bench: scale round {r + 1}/{SCALE_ROUNDS}, {k} pods")

    def measure_ps(self):
        docker_ps = ["docker", "ps", "-a", "--filter", "label=io.podc.pod"]
        podc_ps = [self.podc, "ps"]
        for i in range(PS_RUNS):
            pair = [("podc", podc_ps), ("docker", docker_ps)]
            if i % 2:
                pair.reverse()
            for tool, argv in pair:
                _, ms, _ = timed(argv)
                self.ps[tool].append(ms)
        out = sh(podc_ps)
        self.ps["pods_seen"] = sum(1 for line in out.splitlines()
                                   if line and not line.startswith(" ") and not line.startswith("POD"))
        self.ps["containers_seen"] = len(sh(docker_ps + ["-q"]).split())

    # -- 5. the (host-wide) supervisor at rest with an idle pod, then with a probe every second
    def supervisor(self):
        idle = self.file("idle.yaml", busybox_doc(IDLE, 1))
        probed = self.file("probed.yaml", pod_doc(PROBED, [{
            "name": "app", "image": "podc/busybox:latest",
            "command": ["httpd", "-f", "-p", "127.0.0.1:9000", "-h", "/etc"], "port": 9000}],
            5, probe=True))
        sup = "podc-supervisor"
        sh([self.podc, "up", "-d", idle])
        time.sleep(5)  # past start-up
        before = self.cgroup(sup)
        daemon_before = daemon_cpu()
        time.sleep(IDLE_SECONDS)
        idle_after = self.cgroup(sup)
        daemon_after = daemon_cpu()
        sh([self.podc, "up", "-d", probed])
        time.sleep(5)
        probed_before = self.cgroup(sup)
        t0 = time.time_ns()
        time.sleep(PROBED_SECONDS)
        t1 = time.time_ns()
        probed_after = self.cgroup(sup)
        events = self.events.load()
        probes = sum(1 for t, a, n, _ in events
                     if t0 <= t <= t1 and n == f"{PROBED}_POD" and a.startswith("exec_start"))
        foreign = sum(1 for t, a, n, _ in events if not ours(n)
                      and (t0 <= t <= t1 or before["at"] <= t <= idle_after["at"]))
        self.results["supervisor"] = {
            "window_s": IDLE_SECONDS,
            "probed_window_s": PROBED_SECONDS,
            "idle_cpu_s": (idle_after["cpu_ns"] - before["cpu_ns"]) / 1e9,
            "idle_rss_bytes": idle_after["vmrss"],
            "idle_cgroup_rss_bytes": idle_after["cgroup_rss"],
            "probed_cpu_s": (probed_after["cpu_ns"] - probed_before["cpu_ns"]) / 1e9,
            "probed_rss_bytes": probed_after["vmrss"],
            "probes": probes,
            "daemon_cpu_s": (daemon_after - daemon_before) if daemon_before is not None else None,
            "foreign_events_in_window": foreign,
        }
        s = self.results["supervisor"]
        s["cpu_per_probe_ms"] = (s["probed_cpu_s"] * 1000 / probes) if probes else None
        sh([self.podc, "down", IDLE, PROBED])

    def cgroup(self, container):
        cid, pid = sh(["docker", "inspect", "-f", "{{.Id}} {{.State.Pid}}", container]).split()
        out = {"cpu_ns": None, "vmrss": None, "cgroup_rss": None, "at": time.time_ns()}
        for path in (f"/sys/fs/cgroup/cpuacct/docker/{cid}/cpuacct.usage",
                     f"/sys/fs/cgroup/cpu,cpuacct/docker/{cid}/cpuacct.usage",
                     f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/cpu.stat",
                     f"/sys/fs/cgroup/docker/{cid}/cpu.stat"):
            if os.path.exists(path):
                text = open(path).read()
                if path.endswith("cpu.stat"):  # cgroup v2: usage_usec
                    usec = dict(l.split() for l in text.splitlines())["usage_usec"]
                    out["cpu_ns"] = int(usec) * 1000
                else:
                    out["cpu_ns"] = int(text)
                break
        for path in (f"/sys/fs/cgroup/memory/docker/{cid}/memory.stat",
                     f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/memory.stat",
                     f"/sys/fs/cgroup/docker/{cid}/memory.stat"):
            if os.path.exists(path):
                stat = dict(l.split() for l in open(path).read().splitlines())
                out["cgroup_rss"] = int(stat.get("total_rss", stat.get("rss", stat.get("anon", 0))))
                break
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    out["vmrss"] = int(line.split()[1]) * 1024
        except OSError:
            pass
        if out["cpu_ns"] is None:
            raise Failed(f"cannot find the cgroup of {container} ({cid})")
        return out

    # -- 6. the pause image and podc --version
    def small(self):
        self.results["pause_image"] = {
            "image": self.pause_image,
            "bytes": int(sh(["docker", "image", "inspect", "-f", "{{.Size}}", self.pause_image])),
        }
        first = timed([self.podc, "--version"])[1]
        version, true = [], []
        for _ in range(VERSION_RUNS):
            version.append(timed([self.podc, "--version"])[1])
            true.append(timed(["/bin/true"])[1])
        self.results["version"] = {"first_ms": first, "median_ms": median(version),
                                   "true_median_ms": median(true), "runs": VERSION_RUNS}

    # ------------------------------------------------------------ analysis
    def analyse(self):
        events = self.events.load()
        by_kind = {}
        for run in self.runs:
            by_kind.setdefault((run["kind"], run["tool"]), []).append(run)
        self.results["runs"] = {f"{k}/{t}": [round(r["ms"], 1) for r in rs]
                                for (k, t), rs in by_kind.items()}
        # Time to running: the daemon's `start` event of the last member (podc: not counting
        # its spec record or volume holder), from the command's start.
        for run in self.runs:
            if not run["kind"].endswith("-up"):
                continue
            mine = [(t, a, n) for t, a, n, _ in events
                    if run["t0"] <= t <= run["t1"]
                    and any(n.startswith(p + "_") for p in run["pods"])]
            members = [t for t, a, n in mine if a == "start"
                       and not is_pause(n) and not is_helper(n)]
            pauses = [t for t, a, n in mine if a == "start" and is_pause(n)]
            creates = [t for t, a, n in mine if a == "create" and is_pause(n)]
            records = [t for t, a, n in mine if a == "create" and n.endswith("_SPEC")]
            rel = lambda ts, f: (f(ts) - run["t0"]) / 1e6 if ts else None
            run["running_ms"] = rel(members, max)
            run["first_pause_create_ms"] = rel(creates, min)
            run["last_pause_start_ms"] = rel(pauses, max)
            run["last_record_create_ms"] = rel(records, max)
        for run in self.runs:
            if run["kind"].endswith("-down"):
                mine = [(t, a, n) for t, a, n, _ in events
                        if run["t0"] <= t <= run["t1"]
                        and any(n.startswith(p + "_") for p in run["pods"])]
                dies = lambda pred: [t for t, a, n in mine if a == "die" and pred(n)]
                rel = lambda ts, f: (f(ts) - run["t0"]) / 1e6 if ts else None
                released = lambda n: "_SPEC_RELEASED_" in n
                run["record_released_ms"] = rel(
                    [t for t, a, n in mine if a == "rename" and released(n)], max)
                run["record_acknowledged_ms"] = rel(
                    [t for t, a, n in mine if a == "destroy" and released(n)], max)
                member = lambda n: not is_pause(n) and not is_helper(n)
                run["first_member_die_ms"] = rel(dies(member), min)
                run["last_member_die_ms"] = rel(dies(member), max)
                run["pause_die_ms"] = rel(dies(is_pause), max)
                run["last_destroy_ms"] = rel([t for t, a, n in mine if a == "destroy"], max)
        phases = {}
        for (k, t), rs in by_kind.items():
            keys = [key for key in rs[0] if key == "ms" or key.endswith("_ms")]
            phases[f"{k}/{t}"] = {key: median([r[key] for r in rs if r.get(key) is not None])
                                  for key in keys}
        self.results["phases"] = phases
        foreign = [n for t, a, n, _ in events if not ours(n)]
        self.results["foreign_container_events"] = len(foreign)

    def med(self, kind, tool, key="ms"):
        return self.results["phases"].get(f"{kind}/{tool}", {}).get(key)


def daemon_cpu():
    """CPU seconds used so far by dockerd and containerd (None where /proc does not show them)."""
    total, found = 0.0, False
    tick = os.sysconf("SC_CLK_TCK")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            comm = open(f"/proc/{pid}/comm").read().strip()
            if comm not in ("dockerd", "containerd"):
                continue
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            found = True
        except OSError:
            continue
    return total if found else None


# ---------------------------------------------------------------- report


def podc_rev():
    def out(argv):
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              cwd=REPO).stdout.strip()
    rev = out(["git", "rev-parse", "--short", "HEAD"])
    if out(["git", "status", "--porcelain", "--untracked-files=no", "--", "src", "pause",
            "build.rs", "Cargo.toml", "Cargo.lock"]):
        rev += " + uncommitted changes"
    return rev


def machine(podc):
    def out(argv):
        try:
            return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True, cwd=REPO).stdout.strip()
        except OSError:
            return ""
    mem = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) * 1024
    cpu = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    # The revision the binary was built from: run.sh records it just before building.
    rev = os.environ.get("BENCH_PODC_REV") or podc_rev()
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem / 2**30, 1),
        "kernel": platform.release(),
        "docker": out(["docker", "version", "--format",
                       "{{.Server.Version}} (API {{.Server.APIVersion}})"]),
        "storage_driver": out(["docker", "info", "--format", "{{.Driver}}"]),
        "compose": out(["docker-compose", "version", "--short"]),
        "podc": out([podc, "--version"]), "podc_rev": rev,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def fmt_ms(x):
    if x is None:
        return "-"
    return f"{x:.0f} ms" if x >= 10 else f"{x:.1f} ms"


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "-"


def table(b):
    res = b.results
    m = b.med
    rows, targets = [], []

    def row(name, podc=None, floor=None, other=None, note=""):
        rows.append([name, fmt_ms(podc), fmt_ms(floor), fmt_ms(other), ratio(podc, floor), note])

    def target(what, ok, measured):
        targets.append({"target": what, "met": bool(ok), "measured": measured})

    cyc = {t: (m("classic-up", t) or 0) + (m("classic-down", t) or 0)
           for t in ("podc", "floor", "compose")}
    # Medians of the per-round sums (a cycle is one up and its down).
    for t in cyc:
        ups = [r["ms"] for r in b.runs if r["kind"] == "classic-up" and r["tool"] == t]
        downs = [r["ms"] for r in b.runs if r["kind"] == "classic-down" and r["tool"] == t]
        cyc[t] = median([u + d for u, d in zip(ups, downs)])
    res["classic_cycle_ms"] = cyc
    row("classic pod: up -d + down", cyc["podc"], cyc["floor"], cyc["compose"],
        f"compose/podc {cyc['compose'] / cyc['podc']:.2f}x")
    row("  up -d (to return)", m("classic-up", "podc"), m("classic-up", "floor"),
        m("classic-up", "compose"))
    row("  up (to running: last member started)", m("classic-up", "podc", "running_ms"),
        m("classic-up", "floor", "running_ms"), m("classic-up", "compose", "running_ms"))
    row("  down", m("classic-down", "podc"), m("classic-down", "floor"),
        m("classic-down", "compose"))
    row("  up -d with no supervisor running yet (first up after a boot)",
        m("classic-cold-up", "podc"), m("classic-up", "floor"),
        note="podc starts podc-supervisor once")
    target("classic up+down <= 1.10x floor", cyc["podc"] <= 1.10 * cyc["floor"],
           ratio(cyc["podc"], cyc["floor"]))
    target("classic up+down >= 2.5x faster than compose", cyc["compose"] >= 2.5 * cyc["podc"],
           f"{cyc['compose'] / cyc['podc']:.2f}x")

    row("10-member pod: up (to running)", m("m10-up", "podc", "running_ms"),
        m("m10-up", "floor", "running_ms"))
    row("  up -d (to return)", m("m10-up", "podc"), m("m10-up", "floor"))
    row("  down (members honour SIGTERM)", m("m10-down", "podc"), m("m10-down", "floor"),
        note="grace 30 s")
    p_run, f_run = m("m10-up", "podc", "running_ms"), m("m10-up", "floor", "running_ms")
    target("10-member pod up to running <= 1.10x floor", p_run <= 1.10 * f_run,
           ratio(p_run, f_run))
    p_ret, f_ret = m("m10-up", "podc"), m("m10-up", "floor")
    target("10-member pod up -d (to return) <= 1.10x floor", p_ret <= 1.10 * f_ret,
           ratio(p_ret, f_ret))

    growth = {}
    for k in SCALE:
        pu, fu = m(f"scale{k}-up", "podc"), m(f"scale{k}-up", "floor")
        pd, fd = m(f"scale{k}-down", "podc"), m(f"scale{k}-down", "floor")
        growth[k] = {"podc_up": pu, "floor_up": fu, "podc_down": pd, "floor_down": fd,
                     "podc_running": m(f"scale{k}-up", "podc", "running_ms"),
                     "floor_running": m(f"scale{k}-up", "floor", "running_ms")}
        row(f"{k} pod{'s' if k > 1 else ''} (1 member each): up -d", pu, fu,
            note=f"per pod: {pu / k:.0f} / {fu / k:.0f} ms")
        row(f"  down", pd, fd, note=f"per pod: {pd / k:.0f} / {fd / k:.0f} ms")
    res["growth"] = growth
    big = max(SCALE)
    pu, fu = growth[big]["podc_up"], growth[big]["floor_up"]
    pd, fd = growth[big]["podc_down"], growth[big]["floor_down"]
    target(f"{big} pods up and down <= 1.2x floor", pu + pd <= 1.2 * (fu + fd),
           f"{ratio(pu + pd, fu + fd)} (up {ratio(pu, fu)}, down {ratio(pd, fd)})")

    ps = b.ps
    pm, dm = median(ps["podc"]), median(ps["docker"])
    rows.append([f"ps, {ps['pods_seen']} pods: podc ps vs docker ps", fmt_ms(pm), "-", fmt_ms(dm),
                 "-", f"podc/docker {pm / dm:.2f}x ({ps['containers_seen']} containers)"])
    res["ps"] = {"podc_ms": pm, "docker_ms": dm, "pods_seen": ps["pods_seen"],
                 "containers_seen": ps["containers_seen"], "podc_runs": ps["podc"],
                 "docker_runs": ps["docker"]}
    target(f"podc ps with {big} pods <= 1.2x docker ps", pm <= 1.2 * dm, f"{pm / dm:.2f}x")

    down_m10, down_classic = m("m10-down", "podc"), m("classic-down", "podc")
    target("down of a pod that honours SIGTERM well under 1 s",
           max(down_m10, down_classic) < 1000,
           f"10 members {fmt_ms(down_m10)}, classic {fmt_ms(down_classic)}")

    s = res["supervisor"]
    rows.append([f"supervisor at rest, {s['window_s']} s", f"{s['idle_cpu_s'] * 1000:.1f} ms CPU",
                 "-", "-", "-", f"RSS {s['idle_rss_bytes'] / 2**20:.1f} MiB"])
    cpp = s["cpu_per_probe_ms"]
    rows.append([f"supervisor, httpGet probe every 1 s ({s['probed_window_s']} s)",
                 f"{cpp:.2f} ms CPU/probe" if cpp else "-",
                 "-", "-", "-", f"{s['probes']} probes, RSS {s['probed_rss_bytes'] / 2**20:.1f} MiB"])
    target("idle supervisor: no CPU over the window", s["idle_cpu_s"] < 0.005,
           f"{s['idle_cpu_s'] * 1000:.1f} ms CPU in {s['window_s']} s")
    target("idle supervisor RSS < 20 MB", s["idle_rss_bytes"] < 20e6,
           f"{s['idle_rss_bytes'] / 1e6:.1f} MB")

    pi = res["pause_image"]
    rows.append(["pause image size", f"{pi['bytes']} B", "-", "-", "-", pi["image"]])
    target("pause image < 100 KB", pi["bytes"] < 100_000, f"{pi['bytes']} B")
    v = res["version"]
    rows.append(["podc --version", fmt_ms(v["median_ms"]), "-", "-", "-",
                 f"first {fmt_ms(v['first_ms'])}; /bin/true same loop {fmt_ms(v['true_median_ms'])}"])
    target("podc --version < 10 ms", v["median_ms"] < 10 and v["first_ms"] < 10,
           f"median {fmt_ms(v['median_ms'])}, first {fmt_ms(v['first_ms'])}")
    res["targets"] = targets
    return rows, targets


def render(rows, targets, mach, cfg):
    head = ["measurement (median)", "podc", "floor", "compose / docker", "podc/floor", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else '**no**'} |"
              for t in targets]
    lines += ["", f"Machine: {mach['nproc']} cores ({mach['cpu']}), {mach['memory_gib']} GiB, "
              f"kernel {mach['kernel']}, Docker {mach['docker']} ({mach['storage_driver']}), "
              f"docker-compose {mach['compose']}, {mach['podc']} at {mach['podc_rev']}, "
              f"{mach['date']}.",
              f"Rounds: {cfg['rounds']} (classic, 10-member), {cfg['scale_rounds']} (1/10/50 pods); "
              f"container events of other clients on the daemon during the run: "
              f"{cfg['foreign_events']}."]
    return "\n".join(lines) + "\n"


def render_phases(b):
    """Where the time goes: the daemon's event times of each step, from the command's start."""
    ph = b.results["phases"]
    up_cols = [("first_pause_create_ms", "pause created"), ("last_pause_start_ms", "pause started"),
               ("running_ms", "last member started"),
               ("last_record_create_ms", "spec record created"), ("ms", "command returned"),
               ("cpu_ms", "its own CPU")]
    down_cols = [("record_released_ms", "record released"),
                 ("record_acknowledged_ms", "release acknowledged"),
                 ("first_member_die_ms", "first member died"),
                 ("last_member_die_ms", "last member died"), ("pause_die_ms", "pause died"),
                 ("last_destroy_ms", "last removed"), ("ms", "command returned"),
                 ("cpu_ms", "its own CPU")]
    kinds = ["classic", "m10"] + [f"scale{k}" for k in SCALE]
    out = ["Where the time goes (medians; ms from the command's start to the daemon's event):", ""]
    for verb, cols in (("up", up_cols), ("down", down_cols)):
        out += ["| " + verb + " | " + " | ".join(c[1] for c in cols) + " |",
                "|---|" + "---|" * len(cols)]
        for kind in kinds:
            for tool in ("podc", "floor", "compose"):
                p = ph.get(f"{kind}-{verb}/{tool}")
                if not p:
                    continue
                cells = [fmt_ms(p.get(c[0])) for c in cols]
                out.append(f"| {kind} {tool} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def main():
    b = Bench()

    def on_signal(signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    started = time.time()
    code, mach = 1, None
    try:
        b.prepare()
        b.classic()
        b.classic_cold()
        b.members10()
        b.scale()
        b.log(f"bench: supervisor at rest and probed ({IDLE_SECONDS} s)")
        b.supervisor()
        b.small()
        b.analyse()
        mach = machine(b.podc)
        code = 0
    except KeyboardInterrupt:
        b.log("bench: interrupted")
        code = 130
    except Failed as e:
        b.log(f"bench: failed: {e}")
    finally:
        # Nothing interrupts the clean-up (children inherit the ignored signals too).
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        b.log("bench: cleaning up what the benchmark created")
        b.final_cleanup()
    if code:
        return code
    rows, targets = table(b)
    cfg = {"rounds": ROUNDS, "scale_rounds": SCALE_ROUNDS, "scale": SCALE, "port": PORT,
           "idle_seconds": IDLE_SECONDS, "ps_runs": PS_RUNS, "version_runs": VERSION_RUNS,
           "foreign_events": b.results["foreign_container_events"],
           "duration_s": round(time.time() - started)}
    md = render(rows, targets, mach, cfg) + "\n" + render_phases(b)
    print(md)
    b.results["machine"] = mach
    b.results["config"] = cfg
    out_dir = os.environ.get("BENCH_OUT", HERE)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(b.results, f, indent=1, default=str)
        f.write("\n")
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write("# podc benchmark: latest run of bench/run.sh\n\n" + md)
    b.log(f"bench: done in {cfg['duration_s']} s; wrote results.json and results.md in {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
