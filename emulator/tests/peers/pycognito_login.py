"""USER_SRP_AUTH with pycognito's AWSSRP against ENDPOINT, then checks the tokens against the
pool's JWKS with PyJWT.

usage: pycognito_login.py ENDPOINT POOL_ID CLIENT_ID SECRET|- USERNAME PASSWORD
prints OK, or WRONG_PASSWORD:<error code> when the login is refused
"""
import json
import sys
import urllib.request

import boto3
import jwt
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

endpoint, pool_id, client_id, secret, username, password = sys.argv[1:7]
idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1")
srp = AWSSRP(username=username, password=password, pool_id=pool_id, client_id=client_id,
             client=idp, client_secret=None if secret == "-" else secret)
try:
    tokens = srp.authenticate_user()
except ClientError as e:
    print("WRONG_PASSWORD:" + e.response["Error"]["Code"])
    sys.exit(0)

result = tokens["AuthenticationResult"]
issuer = "https://cognito-idp.us-east-1.amazonaws.com/" + pool_id
with urllib.request.urlopen(endpoint + "/" + pool_id + "/.well-known/jwks.json") as r:
    jwks = json.load(r)
keys = {k["kid"]: jwt.PyJWK(k) for k in jwks["keys"]}

def verify(token, **kw):
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.decode(token, keys[kid].key, algorithms=["RS256"], issuer=issuer, **kw)

id_claims = verify(result["IdToken"], audience=client_id)
assert id_claims["token_use"] == "id" and id_claims["cognito:username"] == username, id_claims
access = verify(result["AccessToken"], options={"verify_aud": False})
assert access["token_use"] == "access" and access["client_id"] == client_id, access
assert access["username"] == username
# A token signed by someone else must fail.
tampered = result["AccessToken"][:-4] + ("AAAA" if not result["AccessToken"].endswith("AAAA") else "BBBB")
try:
    verify(tampered, options={"verify_aud": False})
    raise SystemExit("tampered token verified")
except jwt.InvalidSignatureError:
    pass
print("OK")
