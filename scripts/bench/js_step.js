// Times amazon-cognito-identity-js's full client step (A = g^a, then the PASSWORD_VERIFIER key
// and signature) on the vectors given as JSON lines on stdin; prints the median in ms.
'use strict';
const path = require('path');
const fs = require('fs');
const lib = path.join(process.env.PEERS_NODE_MODULES, 'amazon-cognito-identity-js', 'lib');
const AuthenticationHelper = require(path.join(lib, 'AuthenticationHelper.js')).default;
const BigInteger = require(path.join(lib, 'BigInteger.js')).default;
const { Sha256 } = require(path.join(process.env.PEERS_NODE_MODULES, '@aws-crypto', 'sha256-js'));

const rounds = Number(process.argv[2] || 3);
const vectors = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

function step(v) {
  return new Promise((resolve, reject) => {
    const helper = new AuthenticationHelper(v.pool_name);
    helper.smallAValue = new BigInteger(v.a, 16);
    helper.largeAValue = undefined;
    helper.getLargeAValue((errA) => {
      if (errA) return reject(errA);
      helper.getPasswordAuthenticationKey(v.user_id, v.password, new BigInteger(v.srp_b, 16),
        new BigInteger(v.salt, 16), (err, hkdf) => {
          if (err) return reject(err);
          const mac = new Sha256(hkdf);
          mac.update(Buffer.concat([Buffer.from(v.pool_name, 'utf8'), Buffer.from(v.user_id, 'utf8'),
            Buffer.from(v.secret_block, 'base64'), Buffer.from(v.timestamp, 'utf8')]));
          resolve(Buffer.from(mac.digestSync()).toString('base64'));
        });
    });
  });
}

(async () => {
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    for (const v of vectors) {
      const start = process.hrtime.bigint();
      await step(v);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  samples.sort((a, b) => a - b);
  console.log(JSON.stringify({ median_ms: samples[Math.floor(samples.length / 2)], samples: samples.length }));
})();
