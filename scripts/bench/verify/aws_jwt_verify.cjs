// aws-jwt-verify's CognitoJwtVerifier on one access token, JWKS cached (cacheJwks): p50 of
// `await verifier.verify(token)` and of `verifier.verifySync(token)`, one call per sample.
//
//   node aws_jwt_verify.cjs NODE_MODULES INPUT.json SAMPLES   -> one JSON line on stdout
"use strict";
const fs = require("fs");
const [, , nodeModules, inputPath, samplesArg] = process.argv;
const { CognitoJwtVerifier } = require(require.resolve("aws-jwt-verify", { paths: [nodeModules] }));

function p50(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const input = JSON.parse(fs.readFileSync(inputPath, "utf8"));
  const samples = Number(samplesArg);
  const verifier = CognitoJwtVerifier.create({
    userPoolId: input.pool_id,
    tokenUse: "access",
    clientId: input.client_id,
  });
  verifier.cacheJwks(input.jwks);
  for (let i = 0; i < 2000; i++) {
    await verifier.verify(input.token);
    verifier.verifySync(input.token);
  }
  const asyncUs = [];
  const syncUs = [];
  for (let i = 0; i < samples; i++) {
    let t = process.hrtime.bigint();
    await verifier.verify(input.token);
    asyncUs.push(Number(process.hrtime.bigint() - t) / 1000);
    t = process.hrtime.bigint();
    verifier.verifySync(input.token);
    syncUs.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  process.stdout.write(
    JSON.stringify({ verify_p50_us: p50(asyncUs), verify_sync_p50_us: p50(syncUs), node: process.version }) + "\n",
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
