#!/usr/bin/env python3
"""Chaos test for the sandbox's HTTP server (Python 3 standard library only).

Starts `kwb sandbox` (KWB_SANDBOX_PROGRAM, with KWB_SANDBOX_ARGS before the options, as the
other process tests do) on 127.0.0.1 with its default HTTP limits, then for --duration seconds
keeps about --connections abusive connections open, each doing one of: a head sent a byte at a
time, a body declared and never finished, GetRecords pipelined and never read, a request and a
half-close, random garbage, oversized heads and bodies, silence, a reset. Meanwhile a
well-behaved client sends PutRecords and reads on one keep-alive connection, timing every
answer, and the sandbox's RSS is sampled from /proc. Afterwards every record the sandbox
acknowledged is read back with GetRecords and compared.

Each answer carries the time the sandbox took for it (x-kwb-server-ms: from the request's
last byte reaching the sandbox's kernel to the answer being written back). That is what the
sandbox controls, and every one of the well-behaved client's answers must be within
--max-latency-ms (100). The client's own round trip (the sandbox's time plus this script's
and the kernel's scheduling on a machine shared with the abuse and other work) is reported.

It fails (exit 1) when the sandbox dies, when its RSS goes over --max-rss-mb (200), when the
sandbox took longer than --max-latency-ms (100) for any of the well-behaved client's answers,
when that client waits longer than --max-stall-ms (2 s) for one, or when an acknowledged record
is missing or different.

  short form (make test, CTest label "chaos"):  chaos_sandbox.py --duration 30
  long form, by hand:  KWB_SANDBOX_PROGRAM=build/dev/app/kwb KWB_SANDBOX_ARGS=sandbox \\
                       tests/sandbox/chaos_sandbox.py --duration 600 --connections 500
"""

import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

TARGET = b"Kinesis_20131202."
SPACES = b" " * (256 * 1024)


def request_bytes(operation, body, eol=b"\r\n", extra=b""):
    data = json.dumps(body).encode() if not isinstance(body, bytes) else body
    return (b"POST / HTTP/1.1" + eol + b"Host: 127.0.0.1" + eol + b"X-Amz-Target: " + TARGET + operation.encode() + eol
            + b"Content-Type: application/x-amz-json-1.1" + eol + extra + b"Content-Length: "
            + str(len(data)).encode() + eol + eol + data)


async def read_answer(reader):
    """One HTTP answer: (status, body bytes)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    length = 0
    for line in lines[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    body = await reader.readexactly(length)
    return status, body


class Sandbox:
    def __init__(self, program, args):
        self.process = subprocess.Popen([program] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        url = self.process.stdout.readline().decode().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise SystemExit("the sandbox did not start: %r" % url)
        self.port = int(url.rsplit(":", 1)[1])
        # Its log is read all along (a full pipe would stop it), and its end kept.
        self.log = b""
        self.reader = threading.Thread(target=self._read_log, daemon=True)
        self.reader.start()

    def _read_log(self):
        for line in self.process.stderr:
            self.log = (self.log + line)[-65536:]

    def rss_mb(self):
        try:
            with open("/proc/%d/status" % self.process.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024.0
        except OSError:
            return None
        return None

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(5)
        return self.process.returncode, self.log.decode(errors="replace")


class Client:
    """A well-behaved client: one keep-alive connection, one request at a time, blocking."""

    def __init__(self, port):
        self.port = port
        self.sock = None
        self.buffer = b""
        self.reconnects = 0
        self.server_ms = None  # the sandbox's time for the last answer (its x-kwb-server-ms)

    def _read_answer(self):
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        length = 0
        self.server_ms = None
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "x-kwb-server-ms":
                self.server_ms = int(value)
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, body

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("closed by the sandbox")
        self.buffer += chunk

    def call(self, operation, body, timeout=10.0):
        for attempt in range(3):
            try:
                if self.sock is None:
                    self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
                    self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.buffer = b""
                self.sock.sendall(request_bytes(operation, body))
                status, data = self._read_answer()
                return status, json.loads(data) if data else {}
            except (ConnectionError, OSError):
                self.close()
                self.reconnects += 1
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None


class Chaos:
    def __init__(self, port, rng, bulk_iterator, kinds=None):
        self.only = kinds
        self.port = port
        self.rng = rng
        self.bulk_iterator = bulk_iterator
        self.opened = 0
        self.kinds = {}
        self.refused = 0  # connections the sandbox refused at once (503, or its queue full)

    async def open(self):
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.opened += 1
        return reader, writer

    async def drain_until_closed(self, reader, limit_s):
        try:
            end = time.monotonic() + limit_s
            while time.monotonic() < end:
                chunk = await asyncio.wait_for(reader.read(65536), end - time.monotonic())
                if not chunk:
                    return
        except (asyncio.TimeoutError, ConnectionError, OSError):
            return

    async def slow_head(self):
        reader, writer = await self.open()
        head = request_bytes("ListStreams", b"{}")
        for byte in head[:-20]:
            writer.write(bytes([byte]))
            await asyncio.sleep(self.rng.uniform(0.2, 1.5))
            if reader.at_eof() or writer.is_closing():
                break
            if reader._buffer:  # answered (408): done
                break
        writer.close()

    async def slow_body(self):
        reader, writer = await self.open()
        declared = self.rng.choice([100 * 1024, 1024 * 1024, 8 * 1024 * 1024, 15 * 1024 * 1024])
        writer.write(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: Kinesis_20131202.PutRecords\r\n"
                     b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: %d\r\n\r\n" % declared)
        sent = 0
        target = declared - self.rng.randint(1, 1000)
        while sent < target:
            n = min(target - sent, self.rng.choice([1, 1000, 256 * 1024]))
            writer.write(b" " * n)
            sent += n
            await writer.drain()
            await asyncio.sleep(self.rng.uniform(0.0, 0.5))
            if reader.at_eof():
                break
        await self.drain_until_closed(reader, 15)
        writer.close()

    async def pipelined_unread(self):
        reader, writer = await self.open()
        one = request_bytes("GetRecords", {"ShardIterator": self.bulk_iterator})
        writer.write(one * self.rng.randint(10, 120))
        await asyncio.sleep(self.rng.uniform(1, 12))  # and never reads
        writer.close()

    async def half_closed(self):
        reader, writer = await self.open()
        writer.write(request_bytes("ListStreams", b"{}") * self.rng.randint(1, 3))
        await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
        await self.drain_until_closed(reader, 5)
        writer.close()

    async def garbage(self):
        reader, writer = await self.open()
        blob = self.rng.randbytes(self.rng.randint(1, 4096))
        if self.rng.random() < 0.5:
            blob = blob.replace(b"\n", b"") + b"\r\n\r\n"
        writer.write(blob)
        await self.drain_until_closed(reader, 5)
        writer.close()

    async def oversized(self):
        reader, writer = await self.open()
        choice = self.rng.randint(0, 2)
        if choice == 0:
            writer.write(b"POST / HTTP/1.1\r\nX-Big: " + b"a" * (100 * 1024) + b"\r\n\r\n")
        elif choice == 1:
            writer.write(b"POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n")
        else:
            writer.write(b"POST / HTTP/1.1\r\nX-Amz-Target: Kinesis_20131202.PutRecords\r\nContent-Type: "
                         b"application/x-amz-json-1.1\r\nContent-Length: %d\r\n\r\n" % (15 * 1024 * 1024))
            writer.write(b'{"StreamName":"chaos","Records":[')
            for _ in range(60):
                writer.write(SPACES)
                await writer.drain()
            writer.write(b" " * (15 * 1024 * 1024 - 60 * len(SPACES) - 35) + b"]}")
        try:
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        await self.drain_until_closed(reader, 5)
        writer.close()

    async def silent(self):
        reader, writer = await self.open()
        await self.drain_until_closed(reader, self.rng.uniform(1, 15))
        writer.close()

    async def reset(self):
        reader, writer = await self.open()
        writer.write(request_bytes("ListStreams", b"{}")[: self.rng.randint(1, 120)])
        await writer.drain()
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.close()

    async def one(self):
        kinds = [self.slow_head, self.slow_body, self.pipelined_unread, self.half_closed, self.garbage,
                 self.oversized, self.silent, self.reset]
        if self.only:
            kinds = [k for k in kinds if k.__name__ in self.only]
        kind = self.rng.choice(kinds)
        self.kinds[kind.__name__] = self.kinds.get(kind.__name__, 0) + 1
        try:
            await kind()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            self.refused += 1

    async def run(self, until, connections):
        running = set()
        while time.time() < until:
            while len(running) < connections:
                running.add(asyncio.ensure_future(self.one()))
            done, running = await asyncio.wait(running, timeout=0.05, return_when=asyncio.FIRST_COMPLETED)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


def run_chaos(port, seed, bulk_iterator, until, connections, kinds, results):
    """In a process of its own, so that the abuse does not slow the well-behaved client down, and
    at a lower priority: abusive clients are other machines' work, not the sandbox's, and here
    they share its two cores."""
    os.nice(10)
    chaos = Chaos(port, random.Random(seed), bulk_iterator, kinds)
    asyncio.run(chaos.run(until, connections))
    results.put((chaos.opened, chaos.kinds, chaos.refused))


def main(args):
    rng = random.Random(args.seed)
    program = os.environ.get("KWB_SANDBOX_PROGRAM")
    if not program:
        print("KWB_SANDBOX_PROGRAM is not set", file=sys.stderr)
        return 2
    extra = os.environ.get("KWB_SANDBOX_ARGS", "").split()
    sandbox = Sandbox(program, extra + ["--port", "0", "--no-limits", "--streams", "chaos:4,bulk:1"])
    failures = []
    try:
        client = Client(sandbox.port)
        # Data for the pipelined GetRecords to answer with: about 1 MiB in one shard.
        for _ in range(2):
            records = [{"PartitionKey": "b%d" % i, "Data": base64.b64encode(os.urandom(10 * 1024)).decode()}
                       for i in range(50)]
            status, _ = client.call("PutRecords", {"StreamName": "bulk", "Records": records})
            assert status == 200, status
        status, answer = client.call("GetShardIterator", {"StreamName": "bulk", "ShardId": "shardId-000000000000",
                                                          "ShardIteratorType": "TRIM_HORIZON"})
        bulk_iterator = answer["ShardIterator"]

        acknowledged = {}  # sequence number -> (partition key, data)
        latencies = []
        server_times = []  # the sandbox's own time for each answer, ms
        rss = []
        until_wall = time.time() + args.duration
        until = time.monotonic() + args.duration
        results = multiprocessing.Queue()
        chaos = multiprocessing.Process(target=run_chaos, args=(sandbox.port, args.seed, bulk_iterator, until_wall,
                                                                args.connections,
                                                                args.kinds.split(",") if args.kinds else None, results))
        chaos.start()
        stop_sampling = threading.Event()

        def sample_rss():
            while not stop_sampling.is_set():
                value = sandbox.rss_mb()
                if value is not None:
                    rss.append(value)
                stop_sampling.wait(0.1)

        sampler = threading.Thread(target=sample_rss, daemon=True)
        sampler.start()
        n = 0
        while time.monotonic() < until:
            if not sandbox.alive():
                failures.append("the sandbox died during the chaos")
                break
            batch = []
            for _ in range(10):
                batch.append(("p%d" % n, ("record %d %s" % (n, rng.random())).encode()))
                n += 1
            records = [{"PartitionKey": k, "Data": base64.b64encode(d).decode()} for k, d in batch]
            t0 = time.monotonic()
            try:
                status, answer = client.call("PutRecords", {"StreamName": "chaos", "Records": records})
            except Exception as e:  # noqa: BLE001 - any failure of the good client is a finding
                failures.append("the well-behaved client failed: %r" % e)
                break
            latencies.append(time.monotonic() - t0)
            server_times.append(client.server_ms)
            if status == 200:
                for (key, data), result in zip(batch, answer["Records"]):
                    if "SequenceNumber" in result:
                        acknowledged[result["SequenceNumber"]] = (key, data)
            time.sleep(0.02)
        chaos.join(60)
        opened, kinds, refused = results.get(timeout=10) if chaos.exitcode == 0 else (0, {}, 0)
        if chaos.exitcode != 0:
            failures.append("the chaos process failed (%s)" % chaos.exitcode)
        stop_sampling.set()
        sampler.join()

        # Every acknowledged record is there, whole.
        found = {}
        status, shards = client.call("ListShards", {"StreamName": "chaos"})
        for shard in shards.get("Shards", []):
            status, answer = client.call("GetShardIterator", {"StreamName": "chaos", "ShardId": shard["ShardId"],
                                                              "ShardIteratorType": "TRIM_HORIZON"})
            iterator = answer["ShardIterator"]
            while iterator:
                status, page = client.call("GetRecords", {"ShardIterator": iterator})
                for record in page.get("Records", []):
                    found[record["SequenceNumber"]] = (record["PartitionKey"], base64.b64decode(record["Data"]))
                if not page.get("Records") and page.get("MillisBehindLatest", 0) == 0:
                    break
                iterator = page.get("NextShardIterator")
        missing = [s for s, r in acknowledged.items() if found.get(s) != r]
        client.close()

        latencies.sort()
        slow = sum(1 for v in latencies if v * 1000 > args.max_latency_ms)
        untimed = sum(1 for v in server_times if v is None)
        timed = sorted(v for v in server_times if v is not None)
        server_slow = sum(1 for v in timed if v > args.max_latency_ms)
        p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else 0
        print("chaos: %d s, %d abusive connections (%s), %d refused or reset"
              % (args.duration, opened, ", ".join("%s %d" % kv for kv in sorted(kinds.items())), refused))
        print("well-behaved client: %d requests, %d reconnects; the sandbox's time: median %d ms, p99 %d ms, max %d ms, "
              "%d over %d ms"
              % (len(latencies), client.reconnects, timed[len(timed) // 2] if timed else 0,
                 timed[max(0, int(len(timed) * 0.99) - 1)] if timed else 0, timed[-1] if timed else 0, server_slow,
                 args.max_latency_ms))
        print("  its round trip (with this machine's scheduling): median %.1f ms, p99 %.1f ms, max %.1f ms, %d over %d ms"
              % (latencies[len(latencies) // 2] * 1000 if latencies else 0, p99,
                 latencies[-1] * 1000 if latencies else 0, slow, args.max_latency_ms))
        print("sandbox RSS: max %.0f MB (bound %d MB), %d samples" % (max(rss) if rss else 0, args.max_rss_mb, len(rss)))
        print("records: %d acknowledged, %d read back, %d missing or different" % (len(acknowledged), len(found), len(missing)))

        if not rss or max(rss) > args.max_rss_mb:
            failures.append("RSS went over %d MB: %.0f MB" % (args.max_rss_mb, max(rss) if rss else -1))
        if not latencies:
            failures.append("the well-behaved client got no answer")
        else:
            if untimed:
                failures.append("%d of the sandbox's answers did not say its time (x-kwb-server-ms)" % untimed)
            if server_slow:
                failures.append("the sandbox took over %d ms for %d of %d answers to the well-behaved client (max %d ms)"
                                % (args.max_latency_ms, server_slow, len(timed), timed[-1]))
            if latencies[-1] * 1000 > args.max_stall_ms:
                failures.append("the well-behaved client waited %.0f ms for an answer (bound %d ms)"
                                % (latencies[-1] * 1000, args.max_stall_ms))
        if missing:
            failures.append("%d acknowledged records are missing or different, e.g. %s" % (len(missing), missing[:3]))
        if len(acknowledged) == 0:
            failures.append("no record was acknowledged")
    finally:
        code, err = sandbox.stop()
    if code != 0:
        failures.append("the sandbox exited with %s: %s" % (code, err[-2000:]))
    for failure in failures:
        print("FAIL: " + failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds of chaos (default 30)")
    parser.add_argument("--connections", type=int, default=300, help="abusive connections kept open (default 300)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("KWB_CHAOS_SEED", "18")))
    parser.add_argument("--kinds", default="", help="only these kinds of abuse, comma-separated (default: all)")
    parser.add_argument("--max-rss-mb", type=int, default=200)
    parser.add_argument("--max-latency-ms", type=int, default=100,
                        help="the sandbox's time for every answer to the well-behaved client (default 100)")
    parser.add_argument("--max-stall-ms", type=int, default=2000,
                        help="the well-behaved client's round trip, which includes this machine's scheduling of the "
                             "client and the abuse, must stay under this for every answer (default 2000)")
    sys.exit(main(parser.parse_args()))
