#!/usr/bin/env python3
"""Bytes a JVM allocated during a JFR recording, from its jdk.ThreadAllocationStatistics events
(each thread's running total, sampled every period): per thread the last total minus the first,
summed, and per thread group (thread name without its number). Threads that start or end inside
the recording count from their first or to their last sample. With --messages N also per message.

  jcmd PID JFR.start name=alloc settings=bench/alloc.jfc     # before the load
  jcmd PID JFR.stop name=alloc filename=alloc.jfr            # after it
  jfr print --json --events jdk.ThreadAllocationStatistics alloc.jfr > alloc.json
  bench/jfr-alloc.py alloc.json [--messages N]
"""
import argparse
import collections
import json
import re

parser = argparse.ArgumentParser()
parser.add_argument("events", help="output of jfr print --json --events jdk.ThreadAllocationStatistics")
parser.add_argument("--messages", type=int, default=0)
args = parser.parse_args()

with open(args.events) as f:
    recording = json.load(f)

first = {}
last = {}
names = {}
for event in recording["recording"]["events"]:
    values = event["values"]
    thread = values.get("thread") or {}
    tid = thread.get("javaThreadId") or thread.get("osThreadId")
    allocated = int(values["allocated"])
    names[tid] = thread.get("javaName") or thread.get("osName") or str(tid)
    first.setdefault(tid, allocated)
    last[tid] = allocated

groups = collections.Counter()
for tid, end in last.items():
    groups[re.sub(r"([-#]?\d+)+$", "", names[tid])] += end - first[tid]
total = sum(groups.values())
per = f", {total / args.messages:.0f} bytes/msg over {args.messages} messages" if args.messages else ""
print(f"  server alloc {total / 1e6:.1f} MB{per}")
for group, n in groups.most_common(6):
    if n > 0:
        share = 100.0 * n / total if total else 0.0
        print(f"    {share:5.1f}%  {group}")
