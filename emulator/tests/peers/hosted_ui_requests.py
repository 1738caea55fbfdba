"""Managed login with clients no one here wrote: boto3 sets up a pool, a domain and an OAuth app
client on the emulator; `requests` walks the authorize URL and the login form and redeems the
code with a PKCE verifier computed here; PyJWT verifies the ID and access tokens against the
pool's JWKS (signature, issuer, audience, expiry) and the nonce is checked.

usage: hosted_ui_requests.py ENDPOINT
prints one JSON object: username, scope, id_token_email, userinfo_email, refreshed
"""
import base64
import hashlib
import json
import re
import secrets
import sys
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import boto3
import jwt
import requests

endpoint = sys.argv[1]
idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1")
callback = "http://localhost:8499/callback"
pool_id = idp.create_user_pool(PoolName="hosted-peers")["UserPool"]["Id"]
idp.create_user_pool_domain(Domain="hosted-peers", UserPoolId=pool_id)
client_id = idp.create_user_pool_client(
    UserPoolId=pool_id, ClientName="web", AllowedOAuthFlows=["code"],
    AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["openid", "email"],
    CallbackURLs=[callback], SupportedIdentityProviders=["COGNITO"],
)["UserPoolClient"]["ClientId"]
idp.admin_create_user(UserPoolId=pool_id, Username="pat", MessageAction="SUPPRESS",
                      UserAttributes=[{"Name": "email", "Value": "pat@example.com"}])
idp.admin_set_user_password(UserPoolId=pool_id, Username="pat", Password="Peer-Passw0rd!", Permanent=True)

domain = f"{endpoint}/domain/hosted-peers"
verifier = secrets.token_urlsafe(48)
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
browser = requests.Session()
authorize = f"{domain}/oauth2/authorize?" + urlencode({
    "response_type": "code", "client_id": client_id, "redirect_uri": callback, "scope": "openid email",
    "state": state, "nonce": nonce, "code_challenge": challenge, "code_challenge_method": "S256"})
r = browser.get(authorize, allow_redirects=False)
assert r.status_code == 302, (r.status_code, r.text)
page = browser.get(urljoin(endpoint, r.headers["Location"]))
assert page.status_code == 200 and 'for="password"' in page.text, page.text
flow = re.search(r'name="flow" value="([^"]+)"', page.text).group(1)
action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
r = browser.post(urljoin(endpoint, action), data={"flow": flow, "username": "pat", "password": "Peer-Passw0rd!"},
                 allow_redirects=False)
assert r.status_code == 302, (r.status_code, r.text)
redirect = urlparse(r.headers["Location"])
assert f"{redirect.scheme}://{redirect.netloc}{redirect.path}" == callback, redirect
params = parse_qs(redirect.query)
assert params["state"] == [state], params

token = requests.post(f"{domain}/oauth2/token", data={
    "grant_type": "authorization_code", "client_id": client_id, "code": params["code"][0],
    "redirect_uri": callback, "code_verifier": verifier})
assert token.status_code == 200, token.text
tokens = token.json()

issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
jwks = jwt.PyJWKClient(f"{endpoint}/{pool_id}/.well-known/jwks.json")
id_claims = jwt.decode(tokens["id_token"], jwks.get_signing_key_from_jwt(tokens["id_token"]).key,
                       algorithms=["RS256"], audience=client_id, issuer=issuer)
assert id_claims["nonce"] == nonce and id_claims["token_use"] == "id", id_claims
access = jwt.decode(tokens["access_token"], jwks.get_signing_key_from_jwt(tokens["access_token"]).key,
                    algorithms=["RS256"], issuer=issuer, options={"verify_aud": False})
assert access["client_id"] == client_id and access["token_use"] == "access", access

refreshed = requests.post(f"{domain}/oauth2/token", data={
    "grant_type": "refresh_token", "client_id": client_id, "refresh_token": tokens["refresh_token"]})
assert refreshed.status_code == 200, refreshed.text
info = requests.get(f"{domain}/oauth2/userInfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
assert info.status_code == 200, info.text

# the code again: refused, and what its first redemption issued is revoked
again = requests.post(f"{domain}/oauth2/token", data={
    "grant_type": "authorization_code", "client_id": client_id, "code": params["code"][0],
    "redirect_uri": callback, "code_verifier": verifier})
assert again.status_code == 400 and again.json()["error"] == "invalid_grant", again.text
revoked = requests.post(f"{domain}/oauth2/token", data={
    "grant_type": "refresh_token", "client_id": client_id, "refresh_token": tokens["refresh_token"]})
assert revoked.status_code == 400 and revoked.json()["error"] == "invalid_grant", revoked.text

print(json.dumps({
    "username": access["username"],
    "scope": access["scope"],
    "id_token_email": id_claims["email"],
    "userinfo_email": info.json()["email"],
    "refreshed": "access_token" in refreshed.json(),
}))
