#!/usr/bin/python3
"""Independent Kinesis clients against the sandbox: Debian's awscli and boto3.

    compat_clients.py awscli|boto3

Starts the sandbox twice (KWB_SANDBOX_PROGRAM, with KWB_SANDBOX_ARGS in front of its options,
`--port 0`, the URL read from its first stdout line): once open, once with --verify-signatures.
Open: create-stream, list-shards, put-records with ExplicitHashKey, get-shard-iterator,
get-records (and a few more). Verifying: the right keys pass, a wrong secret gets
InvalidSignatureException. Exit 0 on success, 77 when the client is not installed.
"""

import base64
import json
import os
import signal
import subprocess
import sys

AWS = "/usr/bin/aws"  # another `aws` may come first in PATH
KEY_ID = "AKIDKWBCOMPAT"
SECRET = "kwb-compat-secret"
SHARD1_START = 2**127  # the second of two evenly split shards starts here


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


class Sandbox:
    def __init__(self, *options):
        program = os.environ.get("KWB_SANDBOX_PROGRAM")
        if not program:
            fail("KWB_SANDBOX_PROGRAM is not set; run through ctest")
        args = [program] + os.environ.get("KWB_SANDBOX_ARGS", "").split() + ["--port", "0"] + list(options)
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        check(self.url.startswith("http://127.0.0.1:"), "no endpoint URL on the first line: %r" % self.url)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail("the sandbox did not stop on SIGTERM")
        check(self.process.returncode == 0, "the sandbox exited with %s: %s" % (self.process.returncode, err))


def client_environment(secret=SECRET):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
    })
    return env


# ---------------------------------------------------------------- awscli

def aws_version():
    out = subprocess.run([AWS, "--version"], capture_output=True, text=True, env=client_environment())
    return (out.stdout + out.stderr).strip()


def aws(url, *args, secret=SECRET, expect_ok=True):
    command = [AWS, "--endpoint-url", url, "--output", "json", "kinesis"] + list(args)
    out = subprocess.run(command, capture_output=True, text=True, env=client_environment(secret), timeout=60)
    if expect_ok:
        check(out.returncode == 0, "%s failed (%d): %s" % (" ".join(args[:1]), out.returncode, out.stderr))
        return json.loads(out.stdout) if out.stdout.strip() else {}
    return out


def run_awscli():
    version = aws_version()
    print("using " + version)
    # awscli v2 reads blob arguments as base64 by default; v1 takes the text and encodes it.
    v1 = version.startswith("aws-cli/1.")

    def blob(raw):
        return raw.decode() if v1 else base64.b64encode(raw).decode()

    sandbox = Sandbox()
    try:
        url = sandbox.url
        # Each aws run costs a second or two of Python start-up: the essentials only.
        aws(url, "create-stream", "--stream-name", "compat", "--shard-count", "2")
        shards = aws(url, "list-shards", "--stream-name", "compat")["Shards"]
        check([s["ShardId"] for s in shards] == ["shardId-000000000000", "shardId-000000000001"], "shards: %s" % shards)
        check(shards[1]["HashKeyRange"]["StartingHashKey"] == str(SHARD1_START), "ranges: %s" % shards)
        check(shards[1]["HashKeyRange"]["EndingHashKey"] == str(2**128 - 1), "ranges: %s" % shards)

        payloads = [b"first record", b"second record", b"third"]
        records = []
        for i, payload in enumerate(payloads):
            records.append("Data=%s,PartitionKey=key%d,ExplicitHashKey=%d" % (blob(payload), i, SHARD1_START + i))
        records.append("Data=%s,PartitionKey=low,ExplicitHashKey=0" % blob(b"low"))
        put = aws(url, "put-records", "--stream-name", "compat", "--records", *records)
        check(put["FailedRecordCount"] == 0, "put-records: %s" % put)
        check([r["ShardId"] for r in put["Records"]] == ["shardId-000000000001"] * 3 + ["shardId-000000000000"],
              "routing: %s" % put)

        iterator = aws(url, "get-shard-iterator", "--stream-name", "compat", "--shard-id", "shardId-000000000001",
                       "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
        got = aws(url, "get-records", "--shard-iterator", iterator)
        data = [base64.b64decode(r["Data"]) for r in got["Records"]]
        check(data == payloads, "get-records data: %s" % data)
        check([r["PartitionKey"] for r in got["Records"]] == ["key0", "key1", "key2"], "keys: %s" % got)
        check(got["Records"][0]["SequenceNumber"] == put["Records"][0]["SequenceNumber"], "sequence numbers differ")
        check("NextShardIterator" in got and "MillisBehindLatest" in got, "get-records: %s" % got)

        missing = aws(url, "describe-stream-summary", "--stream-name", "missing", expect_ok=False)
        check(missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr, "not found: %s" % missing.stderr)
    finally:
        sandbox.stop()

    sandbox = Sandbox("--verify-signatures", KEY_ID + ":" + SECRET, "--streams", "signed:1")
    try:
        url = sandbox.url
        put = aws(url, "put-records", "--stream-name", "signed", "--records",
                  "Data=%s,PartitionKey=k" % blob(b"signed"))
        check(put["FailedRecordCount"] == 0, "signed put-records: %s" % put)
        wrong = aws(url, "list-streams", secret="not-the-secret", expect_ok=False)
        check(wrong.returncode != 0 and "InvalidSignatureException" in wrong.stderr,
              "a wrong secret: %d %s" % (wrong.returncode, wrong.stderr))
    finally:
        sandbox.stop()


# ---------------------------------------------------------------- boto3

def run_boto3():
    environment = client_environment()
    os.environ.clear()
    os.environ.update(environment)
    try:
        import boto3
        import botocore.config
        import botocore.exceptions
    except ImportError:
        print("boto3 is not installed")
        sys.exit(77)
    print("using boto3 " + boto3.__version__)
    config = botocore.config.Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30)

    def client(url, secret=SECRET):
        return boto3.session.Session().client("kinesis", endpoint_url=url, region_name="us-east-1",
                                              aws_access_key_id=KEY_ID, aws_secret_access_key=secret, config=config)

    sandbox = Sandbox()
    try:
        kinesis = client(sandbox.url)
        kinesis.create_stream(StreamName="compat", ShardCount=2)
        kinesis.get_waiter("stream_exists").wait(StreamName="compat", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        shards = kinesis.list_shards(StreamName="compat")["Shards"]
        check(len(shards) == 2 and shards[1]["HashKeyRange"]["StartingHashKey"] == str(SHARD1_START), "shards: %s" % shards)
        payloads = [b"\x00binary\xff", b"second", bytes(range(256))]
        put = kinesis.put_records(StreamName="compat", Records=[
            {"Data": p, "PartitionKey": "key%d" % i, "ExplicitHashKey": str(SHARD1_START + i)} for i, p in enumerate(payloads)])
        check(put["FailedRecordCount"] == 0, "put_records: %s" % put)
        check(all(r["ShardId"] == "shardId-000000000001" for r in put["Records"]), "routing: %s" % put)
        iterator = kinesis.get_shard_iterator(StreamName="compat", ShardId="shardId-000000000001",
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        got = kinesis.get_records(ShardIterator=iterator, Limit=10)
        check([r["Data"] for r in got["Records"]] == payloads, "get_records: %s" % got["Records"])
        check(got["Records"][0]["ApproximateArrivalTimestamp"].year >= 2024, "arrival timestamp")
        arn = kinesis.describe_stream_summary(StreamName="compat")["StreamDescriptionSummary"]["StreamARN"]
        check(arn == "arn:aws:kinesis:us-east-1:000000000000:stream/compat", "arn: %s" % arn)
        # (Debian's botocore predates StreamARN parameters: ARNs are tested with our client.)
        single = kinesis.put_record(StreamName="compat", Data=b"single", PartitionKey="k", ExplicitHashKey="0")
        check(single["ShardId"] == "shardId-000000000000" and single["SequenceNumber"].isdigit(), "put_record: %s" % single)
        try:
            kinesis.describe_stream_summary(StreamName="missing")
            fail("describe of a missing stream succeeded")
        except kinesis.exceptions.ResourceNotFoundException:
            pass
        try:
            kinesis.create_stream(StreamName="bad name!", ShardCount=1)
            fail("an invalid name was accepted")
        except botocore.exceptions.ClientError as e:
            check(e.response["Error"]["Code"] == "ValidationException", "invalid name: %s" % e.response)
        kinesis.delete_stream(StreamName="compat")
        check(kinesis.list_streams()["StreamNames"] == [], "delete_stream")
    finally:
        sandbox.stop()

    sandbox = Sandbox("--verify-signatures", KEY_ID + ":" + SECRET, "--streams", "signed:1")
    try:
        check(client(sandbox.url).list_streams()["StreamNames"] == ["signed"], "signed list_streams")
        put = client(sandbox.url).put_records(StreamName="signed", Records=[{"Data": b"x", "PartitionKey": "k"}])
        check(put["FailedRecordCount"] == 0, "signed put_records")
        try:
            client(sandbox.url, secret="not-the-secret").list_streams()
            fail("a wrong secret was accepted")
        except botocore.exceptions.ClientError as e:
            check(e.response["Error"]["Code"] == "InvalidSignatureException", "wrong secret: %s" % e.response)
    finally:
        sandbox.stop()


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("awscli", "boto3"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if sys.argv[1] == "awscli":
        if not os.access(AWS, os.X_OK):
            print(AWS + " is not installed")
            sys.exit(77)
        run_awscli()
    else:
        run_boto3()
    print("ok")


if __name__ == "__main__":
    main()
