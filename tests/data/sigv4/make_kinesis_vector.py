#!/usr/bin/python3
"""Writes kinesis-putrecords.json next to this script: SigV4 golden values for Kinesis-style
JSON POST requests, computed by an independent signer, botocore's SigV4Auth, offline and with a
fixed clock. tests/core/tst_sigv4.cpp compares Kinesis Workbench's signer against this file.

Run it with Debian's python3-botocore (the system Python, not a pyenv one):

    /usr/bin/python3 tests/data/sigv4/make_kinesis_vector.py

The credentials are made up (AWS documentation example style); nothing here talks to AWS.
"""

import datetime
import json
import pathlib
import types

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

TIME = datetime.datetime(2024, 3, 1, 8, 15, 30)  # UTC; naive, as utcnow() returns it
ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
SESSION_TOKEN = ('IQoJb3JpZ2luX2VjEXAMPLETOKENfakeH4sIAAAAAAAA/w8PDw8PDw8PDw+'
                 'kwbTestSessionTokenThatIsNotRealAndOnlyForTests==')


class _FixedClock(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return TIME


# SigV4Auth.add_auth() takes the time from datetime.datetime.utcnow(); give botocore.auth a
# datetime module whose datetime class answers with TIME. Nothing else in botocore changes.
botocore.auth.datetime = types.SimpleNamespace(datetime=_FixedClock)


class _RecordingSigV4Auth(botocore.auth.SigV4Auth):
    """SigV4Auth that keeps the intermediate stages it computed, unchanged."""

    def canonical_request(self, request):
        self.recorded_canonical_request = super().canonical_request(request)
        return self.recorded_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.recorded_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.recorded_string_to_sign

    def signature(self, string_to_sign, request):
        self.recorded_signature = super().signature(string_to_sign, request)
        return self.recorded_signature


def make_case(name, region, body, token=None):
    host = 'kinesis.%s.amazonaws.com' % region
    # The exact headers both signers are given, in order; botocore adds X-Amz-Date,
    # X-Amz-Security-Token and Authorization itself, as Kinesis Workbench's sign() does.
    headers = [
        ['Host', host],
        ['Content-Type', 'application/x-amz-json-1.1'],
        ['X-Amz-Target', 'Kinesis_20131202.PutRecords'],
    ]
    request = AWSRequest(method='POST', url='https://%s/' % host, data=body.encode('utf-8'),
                         headers=dict(headers))
    credentials = Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, token)
    auth = _RecordingSigV4Auth(credentials, 'kinesis', region)
    auth.add_auth(request)

    given = {n.lower() for n, _ in headers}
    added = [[n, v] for n, v in request.headers.items() if n.lower() not in given]
    return {
        'name': name,
        'region': region,
        'service': 'kinesis',
        'time': TIME.strftime('%Y-%m-%dT%H:%M:%SZ'),
        'credentials': {
            'accessKeyId': ACCESS_KEY_ID,
            'secretAccessKey': SECRET_ACCESS_KEY,
            'sessionToken': token or '',
        },
        'request': {
            'method': 'POST',
            'path': '/',
            'query': '',
            'headers': headers,
            'body': body,
        },
        'expected': {
            'canonicalRequest': auth.recorded_canonical_request,
            'stringToSign': auth.recorded_string_to_sign,
            'signature': auth.recorded_signature,
            'authorization': request.headers['Authorization'],
            'addedHeaders': added,
        },
    }


def main():
    records = json.dumps({
        'StreamName': 'orders',
        'Records': [
            {'Data': 'eyJvcmRlciI6MX0=', 'PartitionKey': 'customer-1'},
            {'Data': 'eyJvcmRlciI6Mn0=', 'PartitionKey': 'customer-2',
             'ExplicitHashKey': '170141183460469231731687303715884105728'},
        ],
    }, separators=(',', ':'))
    document = {
        'generator': 'botocore %s SigV4Auth, via make_kinesis_vector.py' % botocore.__version__,
        'cases': [
            make_case('putrecords-empty-body', 'us-east-1', '{}'),
            make_case('putrecords-session-token', 'us-east-1', '{}', SESSION_TOKEN),
            make_case('putrecords-records-eu-west-1', 'eu-west-1', records),
        ],
    }
    out = pathlib.Path(__file__).resolve().with_name('kinesis-putrecords.json')
    out.write_text(json.dumps(document, indent=2) + '\n', encoding='utf-8')
    print('wrote', out)


if __name__ == '__main__':
    main()
