"""What the scaling scripts share: their `--option VALUE` parsing, and running relufit under
/usr/bin/time (wall time, peak memory)."""
import json
import subprocess
import sys
import time


def options(args, defaults, usage):
    """`--option VALUE` pairs from `args` over `defaults` (a dict keyed by option); an unknown
    option or one without a value exits with `usage`."""
    opts = dict(defaults)
    args = list(args)
    while args:
        key = args.pop(0)
        if key not in opts or not args:
            sys.exit(f"unknown or incomplete option {key}\n{usage}")
        opts[key] = args.pop(0)
    return opts


def timed(cmd):
    """Run cmd under /usr/bin/time: (stdout, wall seconds, peak RSS in MB, exit code)."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    rss_kb = int(out.stderr.strip().splitlines()[-1])
    return out.stdout, wall, rss_kb / 1024.0, out.returncode


def solve_summary(binary, path, limit, threads, extra=()):
    """`relufit solve PATH --json` with the limits and `extra` options: (answer, solver
    seconds, nodes, peak MB) as table cells; the answer is "error (exit N)" when no JSON came
    back."""
    cmd = [binary, "solve", str(path), *extra, "--json", "--threads", str(threads),
           "--time-limit", str(limit)]
    stdout, _, mb, code = timed(cmd)
    try:
        result = json.loads(stdout)
    except json.JSONDecodeError:
        return f"error (exit {code})", "", "", f"{mb:.0f}"
    stats = result.get("stats", {})
    return (result.get("outcome", "?"), f"{stats.get('seconds', 0.0):.2f}",
            f"{stats.get('nodes', 0):,}", f"{mb:.0f}")
