#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Save the real Gunyah resource manager's log when the machine stops.

After its banner the real RM disables its UART and logs only into a buffer
in its own memory (8 KiB, announced on the console as "[RM]Log buffer:
0x..."). run-qemu.sh --rm-log starts QEMU with a QMP socket and
"-action shutdown=pause": a guest power-off (or a reboot, which -no-reboot
turns into one) pauses the machine instead of ending QEMU. This script
waits for that on QMP, copies the buffer out with pmemsave, writes it as
text and quits QEMU. If the run reaches its deadline first it does the
same, so a hang leaves the RM's log too, and says so in a marker file.

usage: rm-log.py QMP_SOCKET CONSOLE_LOG OUT_FILE DEADLINE_SECONDS
"""
import json
import os
import re
import socket
import sys
import time

LOG_SIZE = 8192
# Where this build's RM puts it if the console line is missing (README of
# ../shared/reference/real-gunyah).
LOG_ADDR_DEFAULT = 0x804F6000
ANNOUNCE = re.compile(rb"\[RM\]\s*Log buffer:\s*(0x[0-9a-fA-F]+)")


class Qmp:
    def __init__(self, path, deadline):
        self.deadline = deadline
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.buf = b""
        self.recv()                     # the greeting
        self.command("qmp_capabilities")

    def recv(self, timeout=None):
        """One JSON message; None at the timeout or when QEMU went away."""
        while b"\n" not in self.buf:
            self.sock.settimeout(timeout)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not data:
                raise EOFError
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name, **args):
        self.sock.sendall(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        while True:
            msg = self.recv(timeout=30)
            if msg is None:
                raise TimeoutError(name)
            if "return" in msg:
                return msg["return"]
            if "error" in msg:
                raise RuntimeError(f"{name}: {msg['error'].get('desc')}")


def log_address(console):
    try:
        with open(console, "rb") as f:
            m = ANNOUNCE.search(f.read())
    except OSError:
        m = None
    return (int(m.group(1), 16), True) if m else (LOG_ADDR_DEFAULT, False)


def as_text(raw):
    """The buffer as text. Unused space is zero; if the log wrapped, the
    oldest bytes follow the last write, which ends at the last newline
    before a zero run (or the buffer's end)."""
    text = raw.rstrip(b"\0")
    if b"\0" in text:                   # wrapped: start after the zero run
        head = text.rfind(b"\0") + 1
        text = text[head:] + text[:head]
    return text.replace(b"\0", b"").decode("utf-8", "replace")


def main():
    qmp_path, console, out, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    deadline = time.monotonic() + seconds
    try:
        qmp = Qmp(qmp_path, deadline)
        why = "timeout"
        while time.monotonic() < deadline:
            ev = qmp.recv(timeout=max(0.1, deadline - time.monotonic()))
            if ev and ev.get("event") in ("SHUTDOWN", "GUEST_PANICKED"):
                why = ev["event"].lower()
                break
        addr, announced = log_address(console)
        raw_file = out + ".raw"
        qmp.command("stop")
        qmp.command("pmemsave", val=addr, size=LOG_SIZE, filename=os.path.abspath(raw_file))
        with open(raw_file, "rb") as f:
            raw = f.read()
        os.unlink(raw_file)
        with open(out, "w") as f:
            f.write(f"# RM log buffer at {addr:#x} ({'announced' if announced else 'default'}),"
                    f" {LOG_SIZE} bytes, saved at {why}\n")
            f.write(as_text(raw))
        if why == "timeout":
            open(out + ".timeout", "w").close()
        try:
            qmp.command("quit")
        except (EOFError, OSError, TimeoutError):
            pass
    except (EOFError, OSError) as e:
        # QEMU ended without pausing (killed, or it failed to start).
        print(f"rm-log: no RM log: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
