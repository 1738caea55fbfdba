// Peer for the SRP cross-check: amazon-cognito-identity-js computes each vector itself.
// stdin: one JSON object per line (the `vectors` example's input format, or
// {"kind":"device_register","device_group_key","device_key"}); stdout: one JSON line each.
'use strict';
const path = require('path');
const readline = require('readline');
const lib = path.join(process.env.PEERS_NODE_MODULES, 'amazon-cognito-identity-js', 'lib');
const AuthenticationHelper = require(path.join(lib, 'AuthenticationHelper.js')).default;
const BigInteger = require(path.join(lib, 'BigInteger.js')).default;
const { Sha256 } = require(path.join(process.env.PEERS_NODE_MODULES, '@aws-crypto', 'sha256-js'));

function userVector(v) {
  return new Promise((resolve) => {
    try {
      const helper = new AuthenticationHelper(v.pool_name);
      helper.smallAValue = new BigInteger(v.a, 16);
      helper.largeAValue = undefined;
      helper.getLargeAValue((errA, largeA) => {
        if (errA) return resolve({ error: String(errA.message || errA) });
        try {
          const B = new BigInteger(v.srp_b, 16);
          const salt = new BigInteger(v.salt, 16);
          helper.getPasswordAuthenticationKey(v.user_id, v.password, B, salt, (err, hkdf) => {
            if (err) return resolve({ error: String(err.message || err) });
            // The same concatenation and HMAC as CognitoUser.authenticateUserDefaultAuth.
            const message = Buffer.concat([
              Buffer.from(v.pool_name, 'utf8'),
              Buffer.from(v.user_id, 'utf8'),
              Buffer.from(v.secret_block, 'base64'),
              Buffer.from(v.timestamp, 'utf8'),
            ]);
            const mac = new Sha256(hkdf);
            mac.update(message);
            const signature = Buffer.from(mac.digestSync()).toString('base64');
            resolve({ srp_a: largeA.toString(16), key: Buffer.from(hkdf).toString('hex'), signature });
          });
        } catch (e) {
          resolve({ error: String(e.message || e) });
        }
      });
    } catch (e) {
      resolve({ error: String(e.message || e) });
    }
  });
}

function deviceRegistration(v) {
  return new Promise((resolve) => {
    const helper = new AuthenticationHelper(v.device_group_key);
    helper.generateHashDevice(v.device_group_key, v.device_key, (err) => {
      if (err) return resolve({ error: String(err.message || err) });
      resolve({
        device_password: helper.getRandomPassword(),
        salt_hex: helper.getSaltDevices(),
        verifier_hex: helper.getVerifierDevices(),
      });
    });
  });
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const v = JSON.parse(line);
    const out = v.kind === 'device_register' ? await deviceRegistration(v) : await userVector(v);
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}
main();
