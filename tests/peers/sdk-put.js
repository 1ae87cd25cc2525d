#!/usr/bin/env node
// The AWS SDK for JavaScript v3 doing what `kwb put --format lines FILE` does, as the baseline of
// bench_cpu_per_record: every line of FILE is a record (its bytes are the data, its 1-based line
// number the partition key), sent with PutRecords in batches of 500, CONCURRENCY requests in
// flight, records a batch's answer reports failed sent again (up to 10 attempts).
//
//   node sdk-put.js ENDPOINT STREAM FILE [CONCURRENCY]
//
// Prints one JSON object on stdout: {"succeeded":N,"failed":N,"requests":N,"seconds":S}; exits 0
// only when every record succeeded. Test credentials; meant for the built-in sandbox.
'use strict';

const fs = require('fs');
const http = require('http');
const { KinesisClient, PutRecordsCommand } = require('@aws-sdk/client-kinesis');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

const [endpoint, stream, file, concurrencyArg] = process.argv.slice(2);
if (!endpoint || !stream || !file) {
  process.stderr.write('usage: node sdk-put.js ENDPOINT STREAM FILE [CONCURRENCY]\n');
  process.exit(2);
}
const concurrency = Number(concurrencyArg || 8);
const kBatch = 500;
const kMaxAttempts = 10;

function readRecords(path) {
  const text = fs.readFileSync(path);
  const records = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(0x0a, start);
    if (end < 0) end = text.length;
    let last = end;
    if (last > start && text[last - 1] === 0x0d) last -= 1;
    records.push({ PartitionKey: String(records.length + 1), Data: text.subarray(start, last) });
    start = end + 1;
  }
  return records;
}

async function main() {
  const records = readRecords(file);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const client = new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSDKBENCH', secretAccessKey: 'sdk-bench-secret-not-a-real-key' },
    requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    maxAttempts: kMaxAttempts,
  });

  let next = 0;
  let succeeded = 0;
  let failed = 0;
  let requests = 0;
  const started = process.hrtime.bigint();

  async function sendBatch(batch) {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; ++attempt) {
      ++requests;
      const answer = await client.send(new PutRecordsCommand({ StreamName: stream, Records: pending }));
      const again = [];
      answer.Records.forEach((entry, i) => {
        if (entry.SequenceNumber) ++succeeded;
        else if (attempt < kMaxAttempts) again.push(pending[i]);
        else ++failed;
      });
      pending = again;
    }
  }

  async function worker() {
    while (next < records.length) {
      const batch = records.slice(next, next + kBatch);
      next += batch.length;
      await sendBatch(batch);
    }
  }

  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  process.stdout.write(JSON.stringify({ succeeded, failed, requests, seconds }) + '\n');
  process.exit(failed === 0 && succeeded === records.length ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`sdk-put.js: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
