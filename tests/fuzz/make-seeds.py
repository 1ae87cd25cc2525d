#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/<target>/corpus (run once; the seeds are committed).

Each fuzz input starts with one choice byte (see each target's source); the seeds are real inputs
from tests/data with a few choice bytes, plus small hand-written requests, answers and logs.
"""
import base64, hashlib, json, os, struct, zlib

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, '..', 'data')


def seed(target, name, choice, body):
    d = os.path.join(here, target, 'corpus')
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(bytes([choice]) + body)


def read(*path):
    with open(os.path.join(data, *path), 'rb') as f:
        return f.read()


imports = {
    'import_jsonl': ['records.jsonl', 'bom-crlf.jsonl', 'broken.jsonl', 'base64.jsonl', 'objects.jsonl'],
    'import_json': ['records.json', 'array-objects.json', 'array-elements.json', 'array-missing-comma.json',
                    'array-trailing-comma.json', 'array-unterminated.json', 'single-object.json'],
    'import_awscli': ['awscli-put-records.json', 'awscli-records-array.json', 'awscli-stream-arn.json',
                      'awscli-bad-data.json', 'awscli-unknown-member.json'],
    'import_csv': ['records.csv', 'records.tsv', 'base64.csv', 'hex.csv', 'mapped.csv', 'missing-columns.csv',
                   'bad-quotes.csv', 'unbalanced-quote.csv'],
}
for target, files in imports.items():
    for i, name in enumerate(files):
        body = read('import', name)
        choice = 0x80 if name.endswith('.tsv') else 0
        seed(target, name, choice, body)
        seed(target, name + '.small-blocks', choice | 0x21 | (0x04 * (i % 4)), body)

for name in ['records.jsonl', 'objects.jsonl', 'records.json', 'awscli-put-records.json', 'single-object.json',
             'records.csv', 'records.tsv', 'lines.txt', 'blob.bin']:
    seed('format_detector', name, 0x08 | (len(name) % 8), read('import', name)[:4096])

for name in ['config', 'credentials', 'continued-values', 'broken-subsection', 'broken-garbage-line']:
    seed('aws_config', name, 1 if name == 'credentials' else 0, read('aws-config', name))

os.makedirs(os.path.join(here, 'workspace', 'corpus'), exist_ok=True)
with open(os.path.join(here, 'workspace', 'corpus', 'version1.kwb'), 'wb') as f:  # this target has no choice byte
    f.write(read('workspace', 'version1.kwb'))

suite = os.path.join(data, 'sigv4', 'botocore', 'tests', 'unit', 'auth', 'aws4_testsuite')
for case in ['get-vanilla-query-order-key-case', 'post-vanilla-query', 'get-utf8', 'post-x-www-form-urlencoded-parameters',
             'post-sts-token/post-sts-header-before']:
    path = os.path.join(suite, case, os.path.basename(case) + '.req')
    if not os.path.exists(path):
        continue
    req = open(path, 'rb').read().replace(b'\r\n', b'\n')
    head, _, body = req.partition(b'\n\n')
    lines = head.split(b'\n')
    method, target, _ = (lines[0].split(b' ') + [b'', b''])[:3]
    text = method + b'\n' + target + b'\n' + b'\n'.join(lines[1:]) + b'\n\n' + body
    seed('sigv4', os.path.basename(case), 0x03, text)
seed('sigv4', 'kinesis-putrecords', 0x07,
     b'POST\n/\nHost: kinesis.us-east-1.amazonaws.com\nContent-Type: application/x-amz-json-1.1\n'
     b'X-Amz-Target: Kinesis_20131202.PutRecords\n\n{"StreamName":"orders","Records":[]}')

put = b'{"StreamName":"orders","Records":[{"PartitionKey":"a","Data":"aGVsbG8="},{"PartitionKey":"b","Data":"","ExplicitHashKey":"340282366920938463463374607431768211455"}]}'
http = (b'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n'
        b'X-Amz-Target: Kinesis_20131202.PutRecords\r\nContent-Length: %d\r\n\r\n' % len(put)) + put
seed('sandbox_http', 'putrecords', 0, http)
seed('sandbox_http', 'pipelined-small-chunks', 7, http + http.replace(b'HTTP/1.1', b'HTTP/1.0'))
seed('sandbox_http', 'expect-continue', 13, http.replace(b'Content-Length', b'Expect: 100-continue\r\nContent-Length'))
seed('sandbox_http', 'folded-header', 0, b'GET / HTTP/1.1\r\nX-A: 1\r\n  2\r\nConnection: close\r\n\r\n')

ops = ['CreateStream', 'DeleteStream', 'ListStreams', 'DescribeStream', 'DescribeStreamSummary', 'ListShards',
       'UpdateShardCount', 'PutRecord', 'PutRecords', 'GetShardIterator', 'GetRecords']
bodies = {
    'CreateStream': {'StreamName': 'clicks', 'ShardCount': 2},
    'DeleteStream': {'StreamName': 'orders', 'EnforceConsumerDeletion': True},
    'ListStreams': {'Limit': 10, 'ExclusiveStartStreamName': 'a'},
    'DescribeStream': {'StreamARN': 'arn:aws:kinesis:us-east-1:000000000000:stream/orders', 'Limit': 1},
    'DescribeStreamSummary': {'StreamName': 'orders'},
    'ListShards': {'StreamName': 'orders', 'ShardFilter': {'Type': 'AT_TIMESTAMP', 'Timestamp': 1764100000.5}},
    'UpdateShardCount': {'StreamName': 'orders', 'TargetShardCount': 4, 'ScalingType': 'UNIFORM_SCALING'},
    'PutRecord': {'StreamName': 'orders', 'PartitionKey': 'k', 'Data': 'aGk=', 'SequenceNumberForOrdering': '1'},
    'PutRecords': json.loads(put),
    'GetShardIterator': {'StreamName': 'orders', 'ShardId': 'shardId-000000000001', 'ShardIteratorType': 'AT_TIMESTAMP',
                         'Timestamp': 1764100000},
    'GetRecords': {'ShardIterator': 'AAAAAAAAAAE=', 'Limit': 5},
}
for i, op in enumerate(ops):
    seed('sandbox_request', op, 0x80 | i, json.dumps(bodies[op]).encode())

answers = {
    'putrecords': (0x10, {'FailedRecordCount': 1, 'Records': [
        {'SequenceNumber': '49590338271490256608559692538361571095921575989136588898', 'ShardId': 'shardId-000000000000'},
        {'ErrorCode': 'ProvisionedThroughputExceededException', 'ErrorMessage': 'Rate exceeded for shard'}]}),
    'listshards': (0x00, {'Shards': [{'ShardId': 'shardId-000000000000', 'HashKeyRange': {
        'StartingHashKey': '0', 'EndingHashKey': '340282366920938463463374607431768211455'},
        'SequenceNumberRange': {'StartingSequenceNumber': '4959'}}], 'NextToken': None}),
    'error-400': (0x04, {'__type': 'com.amazonaws.kinesis#ResourceNotFoundException', 'message': 'Stream orders not found'}),
    'error-503': (0x0a, {'__type': 'ServiceUnavailableException', 'Message': 'slow down'}),
}
for name, (choice, obj) in answers.items():
    seed('client_response', name, choice, json.dumps(obj).encode())
seed('client_response', 'empty', 0, b'')

# HTTP answers for the client's own reader (net::HttpAnswerReader). Choice byte: the low four
# bits are the piece size (0: whole), 0x10 makes the peer close after the bytes.
http_answers = {
    'content-length': (0x00, b'HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: 1\r\n'
                             b'Content-Length: 40\r\n\r\n{"FailedRecordCount":0,"Records":[]}   '),
    'content-length-pieces': (0x03, b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'),
    'chunked': (0x01, b'HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n1a;ext=1\r\n'
                      b'{"__type":"ValidationExcep\r\n5\r\ntion"\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n'),
    'until-close': (0x12, b'HTTP/1.0 200 OK\r\n\r\npart one, part two'),
    'continue': (0x05, b'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{"a":1}'),
    'connection-close': (0x00, b'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
    'keep-alive-1.0': (0x00, b'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}'),
    'bare-lf': (0x02, b'HTTP/1.1 204 No Content\n\n'),
    'leftover': (0x00, b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n\r\n'),
    'not-http': (0x00, b'SSH-2.0-OpenSSH_9.2\r\n\r\n'),
}
for name, (choice, raw) in http_answers.items():
    seed('http_answer', name, choice, raw)


def frame(payload):
    return struct.pack('<II', len(payload), zlib.crc32(payload) & 0xffffffff) + payload


def s(text):
    b = text.encode()
    return struct.pack('<H', len(b)) + b


created = frame(bytes([1]) + struct.pack('<QI', 1764000000000, 2) + b'\x00' + s('orders'))
recs = bytes([2]) + struct.pack('<I', 2)
recs += struct.pack('<IQQHI', 0, 0, 1764099990000, 1, 5) + b'k' + b'hello'
recs += struct.pack('<IQQHI', 1, 0, 1764099990001, 2, 0) + b'k2'
reshard = frame(bytes([3]) + struct.pack('<QI', 1764099995000, 4))
cursor = frame(bytes([4]) + struct.pack('<IQ', 1, 7))
seed('sandbox_log', 'stream', 0, created + frame(recs) + reshard + cursor)
seed('sandbox_log', 'stream-fix-crc', 1, created + frame(recs) + cursor)
seed('sandbox_log', 'torn-tail', 0, created + frame(recs)[:-3])


def varint(n):
    out = b''
    while n >= 0x80:
        out += bytes([(n & 0x7f) | 0x80])
        n >>= 7
    return out + bytes([n])


def ld(field, payload):
    return bytes([(field << 3) | 2]) + varint(len(payload)) + payload


def kpl(keys, hash_keys, records):
    proto = b''.join(ld(1, k) for k in keys) + b''.join(ld(2, h) for h in hash_keys)
    for r in records:
        body = b'\x08' + varint(r[0])
        if r[1] is not None:
            body += b'\x10' + varint(r[1])
        body += ld(3, r[2])
        for tag in r[3] if len(r) > 3 else []:
            body += ld(4, tag)
        proto += ld(3, body)
    return b'\xf3\x89\x9a\xc2' + proto + hashlib.md5(proto).digest()


good = kpl([b'a', 'é'.encode()], [b'340282366920938463463374607431768211455'],
           [(0, None, b'xyz'), (1, 0, b''), (0, None, b'q', [ld(1, b't') + ld(2, b'v')])])
seed('kpl_deaggregate', 'three-records', 0, good)
seed('kpl_deaggregate', 'one-record', 0, kpl([b'k'], [], [(0, None, b'data')]))
seed('kpl_deaggregate', 'bad-md5', 0, good[:-1] + bytes([good[-1] ^ 1]))
seed('kpl_deaggregate', 'bad-index', 1, kpl([b'a'], [], [(3, None, b'x')]))
seed('kpl_deaggregate', 'bad-hash-index', 1, kpl([b'a'], [], [(0, 2, b'x')]))
seed('kpl_deaggregate', 'truncated', 1, good[:20] + bytes(16))
seed('kpl_deaggregate', 'no-magic', 2, good[4:])
seed('kpl_deaggregate', 'get-records', 4, json.dumps({'Records': [
    {'SequenceNumber': '4959', 'Data': base64.b64encode(good).decode(), 'PartitionKey': 'a'},
    {'SequenceNumber': '4960', 'Data': 'aGVsbG8=', 'PartitionKey': 'plain'}]}).encode())
seed('kpl_deaggregate', 'base64-lines', 4, base64.b64encode(good) + b'\n' + base64.b64encode(b'plain') + b'\n')
