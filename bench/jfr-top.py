#!/usr/bin/env python3
"""Aggregates a JFR recording's execution samples (jdk.ExecutionSample, plus
jdk.NativeMethodSample with --native): the top frames (self), the frames anywhere in the stack
(total, by method), and the samples per thread group (thread name without its number).

  jfr print --events jdk.ExecutionSample --stack-depth 64 rec.jfr > samples.txt
  bench/jfr-top.py samples.txt [--top 40] [--thread inlet-io]
"""
import argparse
import collections
import re
import sys

parser = argparse.ArgumentParser()
parser.add_argument("samples")
parser.add_argument("--top", type=int, default=40)
parser.add_argument("--thread", default="", help="only threads whose name contains this")
args = parser.parse_args()

self_counts = collections.Counter()
total_counts = collections.Counter()
threads = collections.Counter()
events = 0
thread = None
frames = []


def flush():
    global events
    if thread is None or not frames:
        return
    if args.thread and args.thread not in thread:
        return
    events += 1
    threads[re.sub(r"[-#]?\d+$", "", thread)] += 1
    self_counts[frames[0]] += 1
    for f in set(frames):
        total_counts[f] += 1


frame_re = re.compile(r"^\s+([\w$.<>/]+)\(.*\)\s+line:")
with open(args.samples) as f:
    for line in f:
        if line.startswith("jdk."):
            flush()
            thread, frames = None, []
        elif "sampledThread = " in line:
            m = re.search(r'sampledThread = "([^"]*)"', line)
            thread = m.group(1) if m else line.split("=", 1)[1].strip()
        else:
            m = frame_re.match(line)
            if m:
                frames.append(m.group(1))
flush()

print(f"{events} samples")
print("\n# by thread group")
for t, n in threads.most_common(20):
    print(f"{n:7d} {100.0 * n / events:5.1f}%  {t}")
print("\n# self (top frame)")
for fr, n in self_counts.most_common(args.top):
    print(f"{n:7d} {100.0 * n / events:5.1f}%  {fr}")
print("\n# total (anywhere in the stack)")
for fr, n in total_counts.most_common(args.top):
    print(f"{n:7d} {100.0 * n / events:5.1f}%  {fr}")
