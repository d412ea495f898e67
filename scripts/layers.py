#!/usr/bin/env python3
"""layers.py: check that the module's files use only their own layer or
the layers below (docs/design.md, "Layers").

Every reference from one file of src/ to another (`use crate::x`,
`crate::x::...`, outside comments) must go to the same layer or a lower
one, unless it is listed in ALLOWED with the reason it is not a call down
the stack. Run from the project root; exits 1 on a violation.
"""
import os
import re
import sys

LAYERS = [
    # 0: base facts: constants, the ABI mirror, Linux accessors, budgets, counters
    ["mach", "uapi", "glue", "process", "limits", "stats"],
    # 1: IPC objects and the containers of deferred work
    ["right", "kmsg", "waitq", "port_request", "outbox", "notify", "pollfd",
     "pset", "port", "space", "ipc_kobject"],
    # 2: what calls and messages do to rights, queues and spaces
    ["ipc_right", "ipc_object", "ipc_space", "mqueue"],
    # 3: kernel objects named by ports
    ["host", "special", "exception", "thread", "semaphore", "task", "task_info", "host_info"],
    # 4: arguments: conversion of names to objects, wire formats
    ["convert", "mig", "kmsg_copyin", "kmsg_copyout"],
    # 5: the calls: traps, mach_port_* calls, the kernel server's routines
    ["mach_msg", "port_calls", "port_attributes", "task_calls", "space_info", "ipc_sync",
     "kserver", "task_server", "host_server"],
    # 6: running deferred work
    ["deferred"],
    # 7: entry points: the module, the device file
    ["machipc_main", "file"],
]

# (from, to): why an upward reference is not a call down the stack.
ALLOWED = {
    ("ipc_kobject", "task"): "type only: KObject holds the object a kernel port names",
    ("ipc_kobject", "thread"): "type only: as above",
    ("ipc_kobject", "semaphore"): "type only: as above",
    ("pollfd", "task"): "type only: port_fd reads the caller's space through its Task",
    ("task", "deferred"): "entry point: the exit work item's run() (a workqueue callback)",
    ("thread", "deferred"): "entry point: the exit work item's run() (a workqueue callback)",
}


def strip_comments(text):
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def references(text, modules):
    refs = set(re.findall(r"crate::([a-z_0-9]+)", text))
    for block in re.findall(r"use crate::\{(.*?)\};", text, re.S):
        depth = 0
        item = ""
        for ch in block:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                refs.add(item.strip().split("::")[0])
                item = ""
                continue
            if depth == 0:
                item += ch
        refs.add(item.strip().split("::")[0])
    return {r for r in refs if r in modules}


def main():
    layer_of = {m: i for i, names in enumerate(LAYERS) for m in names}
    files = sorted(f for f in os.listdir("src") if f.endswith(".rs"))
    modules = {f[:-3] for f in files}
    bad = 0
    for m in sorted(modules - set(layer_of)):
        print(f"layers: src/{m}.rs is in no layer (add it to scripts/layers.py)")
        bad += 1
    for f in files:
        m = f[:-3]
        if m not in layer_of:
            continue
        with open(os.path.join("src", f)) as fh:
            text = strip_comments(fh.read())
        for r in sorted(references(text, modules) - {m}):
            if r in layer_of and layer_of[r] > layer_of[m] and (m, r) not in ALLOWED:
                print(f"layers: src/{m}.rs (layer {layer_of[m]}) uses src/{r}.rs (layer {layer_of[r]})")
                bad += 1
    if bad:
        sys.exit(1)
    print(f"layers: {len(files)} files, references go only to the same or a lower layer "
          f"(+{len(ALLOWED)} listed exceptions)")


if __name__ == "__main__":
    main()
