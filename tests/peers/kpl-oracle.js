// Independent KPL aggregation for the tests: awslabs' aws-kinesis-agg module (npm) aggregates
// and de-aggregates records given as JSON on stdin, and prints JSON on stdout.
//   {"op":"aggregate","records":[{"partitionKey","explicitHashKey"?,"data":base64}]}
//     -> {"records":[{"partitionKey","explicitHashKey"?,"data":base64}]}  (split at its 1 MiB limit)
//   {"op":"deaggregate","records":[{"partitionKey","explicitHashKey"?,"data":base64}]}
//     -> {"results":[{"records":[{"partitionKey","explicitHashKey"?,"subSequenceNumber"?,"data"}]} | {"error"}]}
// The module leaves subSequenceNumber out for a record that is not aggregated.
'use strict';
const agg = require('aws-kinesis-agg');

function readStdin() {
  const chunks = [];
  const fs = require('fs');
  let n;
  const buffer = Buffer.alloc(1 << 20);
  while ((n = fs.readSync(0, buffer, 0, buffer.length, null)) > 0)
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  return Buffer.concat(chunks).toString('utf8');
}

function aggregate(records) {
  const out = [];
  const aggregator = new agg.RecordAggregator();
  const input = records.map((r) => {
    const record = { partitionKey: r.partitionKey, data: Buffer.from(r.data, 'base64') };
    if (r.explicitHashKey !== undefined) record.explicitHashKey = r.explicitHashKey;
    return record;
  });
  let failure = null;
  aggregator.aggregateRecords(input, true, (err, encoded) => {
    if (err) { failure = err; return; }
    const record = { partitionKey: encoded.partitionKey, data: encoded.data.toString('base64') };
    if (encoded.ExplicitHashKey !== undefined) record.explicitHashKey = encoded.ExplicitHashKey;
    out.push(record);
  });
  if (failure) return { error: String(failure.message) };
  return { records: out };
}

function deaggregate(records) {
  return {
    results: records.map((r) => {
      let result = null;
      const kinesisRecord = { partitionKey: r.partitionKey, data: r.data, sequenceNumber: '1' };
      if (r.explicitHashKey !== undefined) kinesisRecord.explicitPartitionKey = r.explicitHashKey;
      agg.deaggregateSync(kinesisRecord, true, (err, users) => {
        if (err) { result = { error: String(err.message) }; return; }
        result = {
          records: users.map((u) => {
            const user = { partitionKey: u.partitionKey, data: u.data };
            if (u.explicitPartitionKey !== undefined) user.explicitHashKey = u.explicitPartitionKey;
            if (u.subSequenceNumber !== undefined) user.subSequenceNumber = u.subSequenceNumber;
            return user;
          }),
        };
      });
      return result;
    }),
  };
}

const request = JSON.parse(readStdin());
const answer = request.op === 'aggregate' ? aggregate(request.records) : deaggregate(request.records);
process.stdout.write(JSON.stringify(answer) + '\n');
