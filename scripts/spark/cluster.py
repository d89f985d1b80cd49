"""A Spark standalone cluster on 127.0.0.1, from the `pyspark` package of the running Python.

    with Cluster(workers=2, root=tmpdir) as c:       # master + workers, all state under root
        c.submit(["scripts/spark/zhiye_spark.py", "--corpus", ...])
        c.kill_worker(1)                             # the worker and its executors, SIGKILL

    python scripts/spark/cluster.py --workers 2 -- scripts/spark/zhiye_spark.py --corpus ... --out ...

The master and the workers are `spark-class` processes of this Python's `pyspark` (its `SPARK_HOME`), run by
the installed Java 17: nothing is installed system-wide and nothing outlives the `with` block. Workers have
one core and `worker_memory` each; executors and the driver use this Python (`PYSPARK_PYTHON`), so they see
the same `zhiye` wheel and `pyarrow`.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pyspark


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def java_home():
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if not java:
        raise SystemExit("cluster: no java on PATH and no JAVA_HOME (Spark 4 needs Java 17)")
    return os.path.dirname(os.path.dirname(os.path.realpath(java)))


class Cluster:
    """A standalone master and `workers` one-core workers, all state under `root`."""

    def __init__(self, workers=2, root=None, worker_memory="2g", executor_memory="1g"):
        self.workers = workers
        self.root = root or tempfile.mkdtemp(prefix="zhiye-spark-")
        self.worker_memory, self.executor_memory = worker_memory, executor_memory
        self.home = os.path.dirname(pyspark.__file__)
        self.port, self.ui_port = free_port(), free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.procs = []  # (name, Popen)
        conf = os.path.join(self.root, "conf")
        os.makedirs(conf, exist_ok=True)
        with open(os.path.join(conf, "spark-defaults.conf"), "w") as f:
            # A lost worker is noticed in seconds, not the default minute.
            f.write("spark.worker.timeout 10\nspark.ui.showConsoleProgress false\n")
        with open(os.path.join(conf, "log4j2.properties"), "w") as f:
            f.write("rootLogger.level = warn\nrootLogger.appenderRef.stderr.ref = console\n"
                    "appender.console.type = Console\nappender.console.name = console\n"
                    "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
                    "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n")
        self.env = dict(
            os.environ, SPARK_HOME=self.home, JAVA_HOME=java_home(), SPARK_CONF_DIR=conf,
            SPARK_LOCAL_IP="127.0.0.1", SPARK_LOCAL_DIRS=os.path.join(self.root, "local"),
            SPARK_LOG_DIR=os.path.join(self.root, "logs"), SPARK_WORKER_DIR=os.path.join(self.root, "work"),
            PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable,
        )

    def _start(self, name, *args):
        log = open(os.path.join(self.root, f"{name}.log"), "w")
        p = subprocess.Popen([os.path.join(self.home, "bin", "spark-class"), *args], env=self.env,
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append((name, p))
        return p

    def worker_dir(self, i):
        return os.path.join(self.root, f"worker-{i}")

    def start(self, timeout=90):
        self._start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", str(self.port), "--webui-port", str(self.ui_port))
        for i in range(self.workers):
            os.makedirs(self.worker_dir(i), exist_ok=True)
            self._start(f"worker-{i}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", self.worker_memory, "--work-dir", self.worker_dir(i),
                        "--webui-port", str(free_port()), self.url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.alive_workers() == self.workers:
                return self
            for name, p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"cluster: {name} exited with {p.returncode}; see {self.root}/{name}.log")
            time.sleep(0.5)
        raise RuntimeError(f"cluster: {self.workers} workers not alive after {timeout} s; logs in {self.root}")

    def status(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ui_port}/json/", timeout=5) as r:
            return json.load(r)

    def alive_workers(self):
        try:
            return sum(w["state"] == "ALIVE" for w in self.status()["workers"])
        except (OSError, ValueError):
            # Not up yet: no answer, or (a starting master under load) an empty or partial page.
            return 0

    def submit_command(self, args):
        return [os.path.join(self.home, "bin", "spark-submit"), "--master", self.url,
                "--conf", f"spark.executor.memory={self.executor_memory}", "--conf", "spark.executor.cores=1",
                "--conf", "spark.driver.memory=1g", "--conf", "spark.sql.shuffle.partitions=8",
                "--conf", f"spark.local.dir={self.env['SPARK_LOCAL_DIRS']}", *args]

    def submit(self, args, **popen):
        """Runs spark-submit to the end; returns the CompletedProcess (stdout captured)."""
        return subprocess.run(self.submit_command(args), env=self.env, capture_output=True, text=True, **popen)

    def popen(self, args, **popen):
        return subprocess.Popen(self.submit_command(args), env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, **popen)

    def executor_pids(self, i):
        """Executor JVMs launched by worker `i` (their working folder is under its work dir)."""
        pids = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cwd = os.readlink(f"/proc/{pid}/cwd")
                cmd = open(f"/proc/{pid}/cmdline", "rb").read()
            except OSError:
                continue
            if cwd.startswith(self.worker_dir(i) + os.sep) and b"CoarseGrainedExecutorBackend" in cmd:
                pids.append(int(pid))
        return pids

    def kill_worker(self, i):
        """SIGKILLs worker `i` with its process group: its executors and their Python workers (started in
        the worker's group) die with it. Returns the executor pids that were running."""
        executors = self.executor_pids(i)
        p = next(p for n, p in self.procs if n == f"worker-{i}")
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        for pid in executors:  # in case one had left the group
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return executors

    def stop(self):
        for _, p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for _, p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main():
    p = argparse.ArgumentParser(description="Run a spark-submit on a throwaway standalone cluster on 127.0.0.1")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--root", help="folder for the cluster's state (default: a new temporary one, removed)")
    p.add_argument("args", nargs=argparse.REMAINDER, help="-- then spark-submit's application and arguments")
    a = p.parse_args()
    args = a.args[1:] if a.args[:1] == ["--"] else a.args
    root = a.root or tempfile.mkdtemp(prefix="zhiye-spark-")
    try:
        with Cluster(workers=a.workers, root=root) as c:
            r = subprocess.run(c.submit_command(args), env=c.env)
        sys.exit(r.returncode)
    finally:
        if not a.root:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
