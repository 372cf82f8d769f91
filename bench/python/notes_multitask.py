#!/usr/bin/env python3
"""The notes' Python experiment, re-run on this machine so its figures sit beside ours.

Same shape as bench/multitask_bench.cpp: a CPU set of 8 fixed computations (a pure-Python xorshift
loop, which holds the GIL the whole time) and an IO set of 16 waits of 10 ms (time.sleep, which
releases the GIL), run by one thread, by N processes (multiprocessing) and by N threads.

Usage:     bench/python/notes_multitask.py [--repeats 3] [--steps 1000000] > python.csv
Test with: scripts/bench  (runs it when python3 is installed)
Prints CSV: kind,runner,workers,tasks,seconds,cpu_seconds (the run with the median wall time;
cpu_seconds counts this process and its reaped children, so it also covers multiprocessing).
"""
import argparse
import multiprocessing
import os
import sys
import threading
import time

CPU_TASKS = 8
IO_TASKS = 16
IO_WAIT = 0.010
MASK = (1 << 64) - 1


def cpu_task(seed, steps):
    x = seed | 1
    for _ in range(steps):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
    return x


def io_task(_seed, _steps):
    time.sleep(IO_WAIT)
    return 1


def cpu_seconds():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def share(task, worker, workers, tasks, steps):
    for t in range(worker, tasks, workers):
        task(t + 1, steps)


def run_single(task, tasks, _workers, steps):
    share(task, 0, 1, tasks, steps)


def run_processes(task, tasks, workers, steps):
    procs = [multiprocessing.Process(target=share, args=(task, w, workers, tasks, steps)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()


def run_threads(task, tasks, workers, steps):
    threads = [threading.Thread(target=share, args=(task, w, workers, tasks, steps)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=1_000_000, help="xorshift rounds per CPU task")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    args = parser.parse_args()
    multiprocessing.set_start_method("fork")

    out = sys.stdout
    out.write("kind,runner,workers,tasks,seconds,cpu_seconds\n")
    for kind, task, tasks in (("cpu", cpu_task, CPU_TASKS), ("io", io_task, IO_TASKS)):
        cases = [("single", run_single, 1)]
        cases += [(name, fn, w) for name, fn in (("processes", run_processes), ("threads", run_threads))
                  for w in args.workers]
        for name, fn, workers in cases:
            runs = []
            for _ in range(args.repeats):
                cpu_start = cpu_seconds()
                start = time.perf_counter()
                fn(task, tasks, workers, args.steps)
                runs.append((time.perf_counter() - start, cpu_seconds() - cpu_start))
            wall, cpu = sorted(runs)[len(runs) // 2]
            out.write(f"{kind},{name},{workers},{tasks},{wall:.4f},{cpu:.4f}\n")
            out.flush()


if __name__ == "__main__":
    main()
