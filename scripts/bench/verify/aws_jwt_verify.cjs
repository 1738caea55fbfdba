// aws-jwt-verify's CognitoJwtVerifier, JWKS cached (cacheJwks), in the benchmark's two
// workloads: one token again and again ("repeated"), and a different token on every call
// ("first_sight"). For each: p50 of `await verifier.verify(token)` and of
// `verifier.verifySync(token)`, one call per sample, and Node's own floor, a bare crypto RS256
// check of the same token with a cached KeyObject.
//
//   node aws_jwt_verify.cjs NODE_MODULES INPUT.json SAMPLES   -> one JSON line on stdout
//   INPUT.json: {token, tokens: [...], pool_id, client_id, jwks}
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const [, , nodeModules, inputPath, samplesArg] = process.argv;
const { CognitoJwtVerifier } = require(require.resolve("aws-jwt-verify", { paths: [nodeModules] }));

function p50(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function elapsedUs(start) {
  return Number(process.hrtime.bigint() - start) / 1000;
}

async function measure(verifier, bare, tokenAt, samples) {
  const asyncUs = [];
  const syncUs = [];
  const bareUs = [];
  for (let i = 0; i < samples; i++) {
    const token = tokenAt(i);
    let t = process.hrtime.bigint();
    await verifier.verify(token);
    asyncUs.push(elapsedUs(t));
    t = process.hrtime.bigint();
    verifier.verifySync(token);
    syncUs.push(elapsedUs(t));
    t = process.hrtime.bigint();
    if (!bare(token)) throw new Error("bare check failed");
    bareUs.push(elapsedUs(t));
  }
  return {
    verify_p50_us: p50(asyncUs),
    verify_sync_p50_us: p50(syncUs),
    bare_crypto_p50_us: p50(bareUs),
  };
}

async function main() {
  const input = JSON.parse(fs.readFileSync(inputPath, "utf8"));
  const samples = Math.min(Number(samplesArg), input.tokens.length);
  const verifier = CognitoJwtVerifier.create({
    userPoolId: input.pool_id,
    tokenUse: "access",
    clientId: input.client_id,
  });
  verifier.cacheJwks(input.jwks);
  const key = crypto.createPublicKey({ key: input.jwks.keys[0], format: "jwk" });
  const bare = (token) => {
    const dot = token.lastIndexOf(".");
    return crypto
      .createVerify("RSA-SHA256")
      .update(token.slice(0, dot))
      .verify(key, token.slice(dot + 1), "base64url");
  };
  // Warm-up on both workloads.
  await measure(verifier, bare, () => input.token, 2000);
  await measure(verifier, bare, (i) => input.tokens[i % input.tokens.length], 2000);
  const repeated = await measure(verifier, bare, () => input.token, samples);
  const firstSight = await measure(verifier, bare, (i) => input.tokens[i], samples);
  process.stdout.write(
    JSON.stringify({ repeated, first_sight: firstSight, node: process.version }) + "\n",
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
