// Judges a token corpus with aws-jwt-verify's CognitoJwtVerifier, configured per profile as a
// backend would (tokenUse, clientId, groups, scope, graceSeconds), with the emulator's JWKS
// cached. A kid miss makes it fetch: the fetcher it is given reads the emulator's JWKS URL
// (never the AWS host the library asks for, which is recorded and printed to stderr).
//
//   node aws_jwt_verify.cjs NODE_MODULES CORPUS.json   -> one JSON line per case on stdout
"use strict";
const fs = require("fs");
const [, , nodeModules, corpusPath] = process.argv;
const load = (name) => require(require.resolve(name, { paths: [nodeModules] }));
const { CognitoJwtVerifier } = load("aws-jwt-verify");
const { SimpleJwksCache } = load("aws-jwt-verify/jwk");

async function main() {
  const corpus = JSON.parse(fs.readFileSync(corpusPath, "utf8"));
  const requested = new Set();
  const fetcher = {
    fetch: async (uri) => {
      requested.add(uri);
      const res = await fetch(corpus.jwks_url);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
  const verifiers = {};
  for (const [name, p] of Object.entries(corpus.profiles)) {
    const props = {
      userPoolId: corpus.pool_id,
      tokenUse: p.token_use === "either" ? null : p.token_use,
      clientId: p.client_ids,
      graceSeconds: corpus.leeway,
    };
    if (p.groups) props.groups = p.groups;
    if (p.scopes) props.scope = p.scopes;
    const v = CognitoJwtVerifier.create(props, {
      jwksCache: new SimpleJwksCache({ fetcher }),
    });
    v.cacheJwks(corpus.jwks);
    verifiers[name] = v;
  }
  const out = [];
  for (const c of corpus.cases) {
    try {
      await verifiers[c.profile].verify(c.token);
      out.push(JSON.stringify({ id: c.id, ok: true }));
    } catch (e) {
      out.push(JSON.stringify({ id: c.id, ok: false, error: `${e.name}: ${e.message}` }));
    }
  }
  process.stdout.write(out.join("\n") + "\n");
  process.stderr.write(`aws-jwt-verify asked for: ${[...requested].join(", ")}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
