"""Judges a token corpus with PyJWT, used as a Cognito backend uses it (pycognito's way):
jwt.decode with RS256 only, the key by kid from the emulator's JWKS, both issuer forms, the
audience for ID tokens, exp/iat required, the leeway; then Cognito's claims (token_use,
client_id, groups, scope) checked in Python, as PyJWT leaves them to the application.

    python pyjwt_verify.py CORPUS.json   -> one JSON line per case on stdout
"""
import json
import sys

import jwt


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        corpus = json.load(f)
    keys = {}
    for k in corpus["jwks"]["keys"]:
        keys[k["kid"]] = jwt.PyJWK(k).key
    pool = corpus["pool_id"]
    region = pool.split("_")[0]
    issuers = [
        "https://cognito-idp.%s.amazonaws.com/%s" % (region, pool),
        "https://issuer-cognito-idp.%s.amazonaws.com/%s" % (region, pool),
    ]
    leeway = corpus["leeway"]
    out = []
    for case in corpus["cases"]:
        profile = corpus["profiles"][case["profile"]]
        try:
            judge(case["token"], profile, keys, issuers, leeway)
            out.append(json.dumps({"id": case["id"], "ok": True}))
        except Exception as e:  # every refusal, whatever its class
            out.append(json.dumps({"id": case["id"], "ok": False, "error": "%s: %s" % (type(e).__name__, e)}))
    sys.stdout.write("\n".join(out) + "\n")


def judge(token, profile, keys, issuers, leeway):
    kid = jwt.get_unverified_header(token).get("kid")
    if not isinstance(kid, str) or kid not in keys:
        raise LookupError("no key for kid %r" % (kid,))
    wanted = profile["token_use"]
    if wanted == "either":
        # Which kind it claims to be decides how its client is named.
        claimed = jwt.decode(token, options={"verify_signature": False}).get("token_use")
        kind = claimed if claimed in ("id", "access") else "access"
    else:
        kind = wanted
    is_id = kind == "id"
    payload = jwt.decode(
        token,
        keys[kid],
        algorithms=["RS256"],
        issuer=issuers,
        audience=profile["client_ids"] if is_id else None,
        leeway=leeway,
        options={"require": ["exp", "iat", "iss", "token_use"] + (["aud"] if is_id else []),
                 "verify_aud": is_id},
    )
    token_use = payload.get("token_use")
    if wanted == "either":
        if token_use not in ("id", "access"):
            raise ValueError("token_use %r" % (token_use,))
    elif token_use != wanted:
        raise ValueError("token_use %r, expected %r" % (token_use, wanted))
    if not is_id:
        client = payload.get("client_id")
        if not isinstance(client, str) or client not in profile["client_ids"]:
            raise ValueError("client_id %r" % (client,))
    if profile.get("groups"):
        groups = payload.get("cognito:groups")
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise ValueError("cognito:groups %r" % (groups,))
        if not set(groups) & set(profile["groups"]):
            raise ValueError("no required group in %r" % (groups,))
    if profile.get("scopes"):
        scope = payload.get("scope")
        if not isinstance(scope, str):
            raise ValueError("scope %r" % (scope,))
        if not set(scope.split(" ")) & set(profile["scopes"]):
            raise ValueError("no required scope in %r" % (scope,))


if __name__ == "__main__":
    main()
