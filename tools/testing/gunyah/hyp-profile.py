#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Instructions per function from QEMU's execution log.

QEMU logs each translation block it translates (-d in_asm: its address and
instructions) and, with nochain, each one it executes (-d exec). Their
product, attributed to the ELF's functions by address, is where the
instructions of a run went: under -icount shift=0 these are the counts the
benchmarks report as nanoseconds.

    run-qemu.sh --icount --smp 1 \\
        --qemu-arg -d --qemu-arg exec,nochain,in_asm \\
        --qemu-arg -dfilter --qemu-arg 0x80000000+0x400000 \\
        --qemu-arg -D --qemu-arg /tmp/q.log ...
    hyp-profile.py /tmp/q.log build/hyp/hyp.elf [--top N] [--calls]

-dfilter keeps the log to the hypervisor's addresses; a guest's code at the
same virtual addresses is told apart by its instructions, which are not the
ELF's. "calls" is how often a block that starts a function ran: calls into
it (and loops back to its first instruction).
"""
import argparse
import bisect
import re
import subprocess
import sys

TB_HDR = re.compile(r'^IN:')
INSN = re.compile(r'^0x([0-9a-f]+):\s+([0-9a-f]{8})\s')
EXEC = re.compile(r'^Trace \d+: 0x[0-9a-f]+ \[([0-9a-f]+)/([0-9a-f]+)/([0-9a-f]+)/')


def symbols(elf, nm):
    out = subprocess.run([nm, '-n', elf], check=True, capture_output=True, text=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'tTwW':
            addrs.append(int(parts[0], 16))
            names.append(parts[2])
    return addrs, names


def text_words(elf, objcopy):
    """The ELF's loaded bytes, as {address: instruction word}."""
    import os
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, 'img')
        subprocess.run([objcopy, '-O', 'binary', elf, out], check=True)
        img = open(out, 'rb').read()
    base = 0x80000000
    return base, img


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('log')
    ap.add_argument('elf')
    ap.add_argument('--nm', default='aarch64-linux-gnu-nm')
    ap.add_argument('--objcopy', default='aarch64-linux-gnu-objcopy')
    ap.add_argument('--base', type=lambda x: int(x, 0), default=0x80000000,
                    help='load address of the ELF (default 0x80000000)')
    ap.add_argument('--top', type=int, default=40)
    args = ap.parse_args()

    addrs, names = symbols(args.elf, args.nm)
    _, img = text_words(args.elf, args.objcopy)

    def ours(pc, word):
        off = pc - args.base
        return 0 <= off <= len(img) - 4 and img[off:off + 4] == bytes.fromhex(word)[::-1]

    # Block (start, translation flags) -> instructions, if the code is the ELF's.
    # A block is logged as translated just before its first execution.
    tb_len = {}
    cur, n, mine, pending = None, 0, False, None
    per_fn, calls = {}, {}
    total = 0

    def fn_of(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return names[i] if i >= 0 else '?'

    # A block's instructions may straddle two functions (rare: tail calls are
    # branches, which end blocks); it counts for the one it starts in.
    with open(args.log, errors='replace') as f:
        for line in f:
            if TB_HDR.match(line):
                cur, n = None, 0
                continue
            m = INSN.match(line)
            if m:
                if cur is None:
                    cur = int(m.group(1), 16)
                    mine = ours(cur, m.group(2))
                n += 1
                pending = (cur, n if mine else 0)
                continue
            m = EXEC.match(line)
            if m:
                pc = int(m.group(2), 16)
                key = (pc, m.group(1), m.group(3))
                if pending and pending[0] == pc:
                    tb_len[key] = pending[1]
                pending = None
                k = tb_len.get(key)
                if not k:
                    continue
                fn = fn_of(pc)
                per_fn[fn] = per_fn.get(fn, 0) + k
                total += k
                i = bisect.bisect_right(addrs, pc) - 1
                if i >= 0 and addrs[i] == pc:
                    calls[fn] = calls.get(fn, 0) + 1
    print(f'# {total} instructions in {len(per_fn)} functions')
    print(f'# {"instructions":>12} {"calls":>8} {"per call":>9}  function')
    for fn, k in sorted(per_fn.items(), key=lambda kv: -kv[1])[:args.top]:
        c = calls.get(fn, 0)
        per = f'{k / c:9.1f}' if c else f'{"-":>9}'
        print(f'  {k:12} {c:8} {per}  {fn}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
