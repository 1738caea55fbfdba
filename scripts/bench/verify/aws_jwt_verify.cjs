// aws-jwt-verify's CognitoJwtVerifier on one access token, JWKS cached (cacheJwks): p50 of
// `await verifier.verify(token)` and of `verifier.verifySync(token)`, one call per sample; and
// Node's own floor, a bare crypto RS256 check of the same token with a cached KeyObject.
//
//   node aws_jwt_verify.cjs NODE_MODULES INPUT.json SAMPLES   -> one JSON line on stdout
"use strict";
const crypto = require("crypto");
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
  const key = crypto.createPublicKey({ key: input.jwks.keys[0], format: "jwk" });
  const dot = input.token.lastIndexOf(".");
  const signingInput = input.token.slice(0, dot);
  const signature = input.token.slice(dot + 1);
  const bare = () =>
    crypto.createVerify("RSA-SHA256").update(signingInput).verify(key, signature, "base64url");
  if (!bare()) throw new Error("bare check failed");
  for (let i = 0; i < 2000; i++) bare();
  const asyncUs = [];
  const syncUs = [];
  const bareUs = [];
  for (let i = 0; i < samples; i++) {
    let t = process.hrtime.bigint();
    await verifier.verify(input.token);
    asyncUs.push(Number(process.hrtime.bigint() - t) / 1000);
    t = process.hrtime.bigint();
    verifier.verifySync(input.token);
    syncUs.push(Number(process.hrtime.bigint() - t) / 1000);
    t = process.hrtime.bigint();
    bare();
    bareUs.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  process.stdout.write(
    JSON.stringify({
      verify_p50_us: p50(asyncUs),
      verify_sync_p50_us: p50(syncUs),
      bare_crypto_p50_us: p50(bareUs),
      node: process.version,
    }) + "\n",
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
