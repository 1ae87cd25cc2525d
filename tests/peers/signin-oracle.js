// Independent client for the sign-in tests: the AWS SDK for JavaScript v3 resolves a profile
// (or the environment's web identity) and asks STS who it is. Endpoints come from
// AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_* as the test sets them.
//   node signin-oracle.js PROFILE [MFA-CODE]      node signin-oracle.js --env-web-identity
// Prints {"arn", "account", "expiration"}; never a secret.
'use strict';
const { fromIni, fromTokenFile } = require('@aws-sdk/credential-providers');
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');

async function main() {
  const [profile, mfa] = process.argv.slice(2);
  const provider = profile === '--env-web-identity'
    ? fromTokenFile({ clientConfig: { region: 'us-east-1' } })
    : fromIni({ profile, ignoreCache: true, mfaCodeProvider: async () => mfa,
                clientConfig: { region: 'us-east-1' } });
  const credentials = await provider();
  const sts = new STSClient({ region: 'us-east-1', credentials });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  process.stdout.write(JSON.stringify({
    arn: identity.Arn,
    account: identity.Account,
    expiration: credentials.expiration ? credentials.expiration.toISOString() : null,
  }) + '\n');
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ error: error.name || 'Error', message: String(error.message).slice(0, 500) }) + '\n');
  process.exit(3);
});
