"""Merges bench/results/sections/*.json into bench/results/latest.json, with the machine they ran on,
and prints every section with its ratios and whether its target is met. Used by bench/run.

A run of some benches only (bench/run -Dtest=...) keeps the other sections of the previous latest.json,
each marked with the run it came from ("carried_from": its date and commit), so that latest.json always
holds every section there is."""
import datetime
import glob
import json
import os
import platform
import subprocess
import sys

SECTIONS = {1: "Submit overhead", 2: "Status", 3: "Start-up", 4: "Memory", 5: "Local engine", 6: "Throughput",
            7: "AWS cost model", 8: "Pipeline"}


def run(*cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout + out.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
            mem = "%.1f GiB" % (kb / 1024 / 1024)
    except (OSError, StopIteration, ValueError):
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    jdk = run(java, "-version").splitlines()
    commit = run("git", "rev-parse", "--short", "HEAD")
    dirty = run("git", "status", "--porcelain", "--untracked-files=no")
    return {
        "cores": os.cpu_count(),
        "memory": mem,
        "cpu": cpu,
        "jdk": " / ".join(jdk[:2]) if jdk else "",
        "os": platform.platform(),
        "commit": commit + ("+changes" if dirty else ""),
    }


def fmt(v):
    if isinstance(v, dict) and "median" in v:
        return "median %s (p90 %s, n=%s)" % (num(v["median"]), num(v.get("p90")), v.get("n"))
    if isinstance(v, dict):
        return "{" + ", ".join("%s=%s" % (k, fmt(x)) for k, x in v.items()) + "}"
    return num(v)


def num(v):
    if isinstance(v, float):
        return "%.1f" % v if abs(v) >= 100 else "%.3f" % v
    return str(v)


def previous(path):
    """The sections of an earlier latest.json, each marked with the run it came from."""
    try:
        with open(path) as f:
            old = json.load(f)
    except (OSError, ValueError):
        return []
    carried = []
    for s in old.get("sections", []):
        s = dict(s)
        s.setdefault("carried_from", {"date": old.get("date"), "commit": old.get("machine", {}).get("commit")})
        carried.append(s)
    return carried


def main():
    directory, out, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else None
    sections = []
    for path in glob.glob(os.path.join(directory, "*.json")):
        with open(path) as f:
            sections.append(json.load(f))
    ran = {s.get("section") for s in sections}
    for old in previous(out):
        if old.get("section") not in ran:
            sections.append(old)
    sections.sort(key=lambda s: (s.get("section", 99), s.get("title", "")))
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "command": "bench/run",
        "run_seconds": seconds,
        "machine": machine(),
        "sections": sections,
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    m = result["machine"]
    print("\n================ Visage benchmarks ================")
    print("%s  |  %s cores, %s, %s  |  %s  |  commit %s" % (result["date"], m["cores"], m["memory"], m["cpu"],
                                                         m["jdk"], m["commit"]))
    found = {s.get("section") for s in sections}
    for n in sorted(set(SECTIONS) | found):
        group = [s for s in sections if s.get("section") == n]
        if not group:
            print("\n%d. %s: MISSING (no section file)" % (n, SECTIONS.get(n, "?")))
            continue
        for s in group:
            met = s.get("met")
            verdict = "reported only" if met is None else "MET" if met else "NOT MET"
            origin = s.get("carried_from")
            carried = " (carried over from the run of %s, commit %s)" % (origin.get("date"), origin.get("commit")) \
                if origin else ""
            print("\n%d. %s: %s%s" % (n, s.get("title"), verdict, carried))
            for k, v in (s.get("ratios") or {}).items():
                print("   ratio %-40s %s" % (k, fmt(v)))
            if s.get("target"):
                print("   target: %s" % s["target"])
    print("\nwritten: %s (all figures); %s" % (out, "%d s" % seconds if seconds is not None else ""))


if __name__ == "__main__":
    main()
