#!/usr/bin/env python3
"""Issue #18's speed check: `spearscan milter` behind a real Postfix, 20 SMTP clients at once.

Usage (as root, Postfix installed; see Benchmarks/README.md):
    python3 Benchmarks/compare/milter_bench.py --spearscan .build/release/spearscan \
        --spool Benchmarks/.work/spool-20000-s1/eml [--count 2000] [--max-size 16384] [--clients 20] [--jobs 2]

It takes the first COUNT messages of the spool no larger than MAX-SIZE bytes (the spool's small messages), then
1. `spearscan batch --db … --offline --no-learn --ppap-window 0 --jobs J` over exactly those files: the reference
   throughput, and its CPU time (the child's rusage);
2. the same Postfix without a milter, the same load: the most that can go through it on this machine;
3. a Postfix of its own (Tests/Fixtures/postfix/, delivering to `discard` so that its mailbox writes are not
   timed) with `spearscan milter --offline --jobs J --db …` as its milter, and CLIENTS threads each holding one
   SMTP connection and sending messages from a shared queue (smtplib, one transaction a message) until all are
   sent. Latency is the milter's own "end of message to answer" (the `ms=` of its per-message log line, which
   `spearscan_milter_reply_seconds` also counts); throughput is messages over the wall time of the sending; the
   milter's CPU time comes from /proc. The milter's store must hold every message at the end.
Prints one table and writes Benchmarks/results/milter.txt.
"""
import argparse
import os
import queue
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "postfix")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def percentile(values, p):
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))]


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick


def pick(spool, count, max_size):
    chosen = []
    for top, dirs, names in os.walk(spool):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(top, name)
            if os.path.getsize(path) <= max_size:
                chosen.append(path)
                if len(chosen) == count:
                    return chosen
    return chosen


def run_batch(binary, work, files, jobs):
    eml = os.path.join(work, "eml")
    os.makedirs(eml)
    for k, path in enumerate(files):
        shutil.copyfile(path, os.path.join(eml, "%06d.eml" % k))  # the batch does not follow symbolic links
    db = os.path.join(work, "batch.db")
    start = time.monotonic()
    p = subprocess.Popen([binary, "batch", "--db", db, "--offline", "--no-learn", "--ppap-window", "0", "--jobs", str(jobs), eml],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: something suspicious
        sys.exit("batch failed: %s" % p.stderr.read().decode()[-500:])
    return wall, usage.ru_utime + usage.ru_stime


def start_milter(binary, work, jobs, store=True, prefix=()):
    out = open(os.path.join(work, "milter.out"), "w+")
    log = open(os.path.join(work, "milter.log"), "w+")
    p = subprocess.Popen(list(prefix) + [binary, "milter", "--listen", "inet:0@127.0.0.1", "--offline", "--jobs", str(jobs),
                          "--metrics", "inet:0@127.0.0.1"] + (["--db", os.path.join(work, "milter.db")] if store else []),
                         stdout=out, stderr=log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        out.seek(0)
        for line in out.read().splitlines():
            if line.startswith("listening on port "):
                return p, int(line.split()[-1]), log.name
        time.sleep(0.05)
    p.kill()
    sys.exit("the milter did not start")


def start_postfix(work, milter_port, name="postfix"):
    d = os.path.join(work, name)
    for sub in ("etc", "queue", "data", "mail"):
        os.makedirs(os.path.join(d, sub))
    os.chmod(d, 0o755)
    shutil.chown(os.path.join(d, "data"), user="postfix")
    os.chown(os.path.join(d, "mail"), 65534, 65534)
    smtp_port = free_port()
    with open(os.path.join(FIXTURES, "main.cf")) as f:
        main = f.read().replace("@DIR@", d).replace("@MILTER@", "inet:127.0.0.1:%d" % milter_port if milter_port else "")
    main += "virtual_transport = discard\n"
    with open(os.path.join(d, "etc", "main.cf"), "w") as f:
        f.write(main)
    with open(os.path.join(FIXTURES, "master.cf")) as f:
        master = f.read().replace("@PORT@", str(smtp_port))
    with open(os.path.join(d, "etc", "master.cf"), "w") as f:
        f.write(master)
    subprocess.run(["/usr/sbin/postfix", "-c", os.path.join(d, "etc"), "start"], check=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", smtp_port), timeout=1).close()
            return d, smtp_port
        except OSError:
            time.sleep(0.05)
    sys.exit("Postfix did not listen")


def load(smtp_port, files, clients):
    work = queue.Queue()
    for path in files:
        work.put(path)
    failures = []

    def client():
        s = smtplib.SMTP("127.0.0.1", smtp_port, timeout=120)
        s.ehlo("bench.test")
        while True:
            try:
                path = work.get_nowait()
            except queue.Empty:
                break
            with open(path, "rb") as f:
                body = f.read()
            try:
                s.sendmail("bench@example.net", ["user@example.jp"], body)
            except smtplib.SMTPException as e:
                failures.append("%s: %s" % (path, e))
                s.rset()
        s.quit()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - start, failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spearscan", default=os.path.join(ROOT, ".build", "release", "spearscan"))
    ap.add_argument("--spool", default=os.path.join(ROOT, "Benchmarks", ".work", "spool-20000-s1", "eml"))
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--max-size", type=int, default=16384)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-store", action="store_true", help="the milter without --db (to see what storing costs)")
    ap.add_argument("--profile", metavar="FILE", help="record the milter with `perf record -g`, its output to FILE "
                    "(valgrind 3.19 dies on the milter's threads)")
    args = ap.parse_args()
    if os.getuid() != 0 or not os.path.exists("/usr/sbin/postfix"):
        sys.exit("needs root and Debian's postfix package")
    files = pick(args.spool, args.count, args.max_size)
    work = tempfile.mkdtemp(prefix="spear-milter-bench-")
    os.chmod(work, 0o755)
    postfix_dir = None
    milter = None
    try:
        batch_wall, batch_cpu = run_batch(args.spearscan, work, files, args.jobs)
        # Postfix alone first (no milter): the ceiling of what can go through it on this machine.
        bare_dir, bare_port = start_postfix(work, None, name="postfix-bare")
        bare_wall, _ = load(bare_port, files, args.clients)
        subprocess.run(["/usr/sbin/postfix", "-c", os.path.join(bare_dir, "etc"), "abort"], stderr=subprocess.DEVNULL)
        milter, milter_port, log_path = start_milter(args.spearscan, work, args.jobs, store=not args.no_store,
            prefix=["perf", "record", "-g", "-q", "-o", os.path.abspath(args.profile)] if args.profile else ())
        postfix_dir, smtp_port = start_postfix(work, milter_port)
        cpu_before = cpu_seconds(milter.pid)
        wall, failures = load(smtp_port, files, args.clients)
        milter_cpu = cpu_seconds(milter.pid) - cpu_before
        # Let the milter's store writer catch up, then stop it (SIGTERM: it answers, commits and exits).
        time.sleep(1)
        milter.send_signal(signal.SIGTERM)
        milter.wait(timeout=60)
        latencies = []
        with open(log_path) as f:
            for line in f:
                if line.rstrip().endswith("] message") and " ms=" in line:
                    latencies.append(float(line.split(" ms=")[1].split()[0]))
        stored = "none (--no-store)" if args.no_store else subprocess.run(
            ["sqlite3", os.path.join(work, "milter.db"), "SELECT count(*) FROM messages"], capture_output=True, text=True).stdout.strip()
        distinct = len({open(p, "rb").read() for p in files})
        n = len(files)
        rows = [
            ("messages (small: <= %d bytes)" % args.max_size, "%d" % n),
            ("SMTP clients at once", "%d" % args.clients),
            ("refused or failed", "%d" % len(failures)),
            ("milter answers logged", "%d" % len(latencies)),
            ("end of message -> answer p50", "%.2f ms (target <= 5)" % percentile(latencies, 50)),
            ("end of message -> answer p99", "%.2f ms (target <= 50)" % percentile(latencies, 99)),
            ("through Postfix", "%.0f msg/s (%.1f s)" % (n / wall, wall)),
            ("Postfix alone, no milter", "%.0f msg/s (%.1f s)" % (n / bare_wall, bare_wall)),
            ("batch, same messages", "%.0f msg/s (%.1f s)" % (n / batch_wall, batch_wall)),
            ("through Postfix / batch", "%.0f %% (target >= 80 %%)" % (100.0 * batch_wall / wall)),
            ("CPU a message: milter", "%.2f ms" % (1000.0 * milter_cpu / n)),
            ("CPU a message: batch", "%.2f ms" % (1000.0 * batch_cpu / n)),
            ("milter's store rows", "%s of %d distinct" % (stored, distinct)),
        ]
        width = max(len(r[0]) for r in rows)
        text = "\n".join("%-*s  %s" % (width, a, b) for a, b in rows) + "\n"
        print(text, end="")
        if failures:
            print("first failure: " + failures[0])
        os.makedirs(os.path.join(ROOT, "Benchmarks", "results"), exist_ok=True)
        with open(os.path.join(ROOT, "Benchmarks", "results", "milter.txt"), "w") as f:
            f.write(text)
    finally:
        if milter and milter.poll() is None:
            milter.kill()
        if postfix_dir:
            subprocess.run(["/usr/sbin/postfix", "-c", os.path.join(postfix_dir, "etc"), "abort"], stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
