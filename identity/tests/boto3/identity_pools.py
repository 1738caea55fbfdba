"""Drives identity pools with boto3, the same calls against moto and against the emulator.

Usage: python identity_pools.py ENDPOINT_URL moto|emulator

Signs a user in to a user pool (USER_PASSWORD_AUTH), then creates, describes, lists and
updates an identity pool that accepts the user pool, gets an identity and credentials for the
user's ID token and for a guest, an OpenID token, lists the identities and deletes the pool.
Calls moto does not implement (roles, DescribeIdentity) and checks moto does not make (it
verifies no login, gives a new identity on every GetId and keeps a pool's old name on
UpdateIdentityPool) run against the emulator only, and say so. Prints one JSON object: for every call, the top-level keys of its answer.
"""
import json
import sys

import boto3
import botocore.exceptions

url, server = sys.argv[1], sys.argv[2]
strict = server == "emulator"
common = dict(region_name="us-east-1", endpoint_url=url,
              aws_access_key_id="testing", aws_secret_access_key="testing")
idp = boto3.client("cognito-idp", **common)
identity = boto3.client("cognito-identity", **common)
shapes = {}


def keep(name, answer):
    shapes[name] = sorted(k for k in answer if k != "ResponseMetadata")
    return answer


def fails(code, call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e}"
        return e.response["Error"].get("Message", "")
    raise AssertionError(f"{call.__name__} should have failed with {code}")


user_pool = idp.create_user_pool(PoolName="boto3-identity")["UserPool"]["Id"]
client_id = idp.create_user_pool_client(
    UserPoolId=user_pool, ClientName="app",
    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]["ClientId"]
idp.admin_create_user(UserPoolId=user_pool, Username="alice", MessageAction="SUPPRESS")
idp.admin_set_user_password(UserPoolId=user_pool, Username="alice",
                            Password="Correct-Horse-9", Permanent=True)
id_token = idp.initiate_auth(
    ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
    AuthParameters={"USERNAME": "alice", "PASSWORD": "Correct-Horse-9"},
)["AuthenticationResult"]["IdToken"]
provider = f"cognito-idp.us-east-1.amazonaws.com/{user_pool}"
logins = {provider: id_token}

pool = keep("CreateIdentityPool", identity.create_identity_pool(
    IdentityPoolName="boto3 pool", AllowUnauthenticatedIdentities=True,
    CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": client_id,
                               "ServerSideTokenCheck": False}],
    IdentityPoolTags={"team": "auth"},
))
pool_id = pool["IdentityPoolId"]
assert pool_id.startswith("us-east-1:"), pool_id
described = keep("DescribeIdentityPool", identity.describe_identity_pool(IdentityPoolId=pool_id))
assert described["IdentityPoolName"] == "boto3 pool"
assert described["AllowUnauthenticatedIdentities"] is True
assert described["CognitoIdentityProviders"][0]["ClientId"] == client_id
listed = keep("ListIdentityPools", identity.list_identity_pools(MaxResults=10))
assert pool_id in [p["IdentityPoolId"] for p in listed["IdentityPools"]]
updated = keep("UpdateIdentityPool", identity.update_identity_pool(
    IdentityPoolId=pool_id, IdentityPoolName="boto3 pool renamed",
    AllowUnauthenticatedIdentities=True,
    CognitoIdentityProviders=described["CognitoIdentityProviders"],
))
if strict:
    assert updated["IdentityPoolName"] == "boto3 pool renamed", updated
else:
    print("moto keeps the old name on UpdateIdentityPool", file=sys.stderr)

roles = {"authenticated": "arn:aws:iam::123456789012:role/auth",
         "unauthenticated": "arn:aws:iam::123456789012:role/unauth"}
if strict:
    identity.set_identity_pool_roles(IdentityPoolId=pool_id, Roles=roles)
    got = keep("GetIdentityPoolRoles", identity.get_identity_pool_roles(IdentityPoolId=pool_id))
    assert got["Roles"] == roles, got
else:
    print("moto implements neither SetIdentityPoolRoles nor GetIdentityPoolRoles", file=sys.stderr)

identity_id = keep("GetId", identity.get_id(IdentityPoolId=pool_id, Logins=logins))["IdentityId"]
assert identity_id.startswith("us-east-1:"), identity_id
again = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
if strict:
    assert again == identity_id, "one identity per user"
creds = keep("GetCredentialsForIdentity",
             identity.get_credentials_for_identity(IdentityId=identity_id, Logins=logins))
assert creds["IdentityId"] == identity_id
c = creds["Credentials"]
assert c["AccessKeyId"] and c["SecretKey"] and c["SessionToken"], c.keys()
assert hasattr(c["Expiration"], "timestamp"), "Expiration is a timestamp"
shapes["Credentials"] = sorted(c)

guest = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
assert guest != identity_id
guest_creds = identity.get_credentials_for_identity(IdentityId=guest)["Credentials"]
assert guest_creds["AccessKeyId"]
token = keep("GetOpenIdToken", identity.get_open_id_token(IdentityId=identity_id, Logins=logins))
assert token["IdentityId"] == identity_id and token["Token"]
identities = keep("ListIdentities", identity.list_identities(IdentityPoolId=pool_id, MaxResults=10))
assert identity_id in [i["IdentityId"] for i in identities["Identities"]]

if strict:
    keep("DescribeIdentity", identity.describe_identity(IdentityId=identity_id))
    forged = id_token[:-4] + ("AAAA" if not id_token.endswith("AAAA") else "BBBB")
    message = fails("NotAuthorizedException", identity.get_credentials_for_identity,
                    IdentityId=identity_id, Logins={provider: forged})
    assert "Couldn't verify signed token" in message, message
    message = fails("NotAuthorizedException", identity.get_credentials_for_identity,
                    IdentityId=identity_id)
    assert "Logins don't match" in message, message
    identity.update_identity_pool(IdentityPoolId=pool_id, IdentityPoolName="closed",
                                  AllowUnauthenticatedIdentities=False,
                                  CognitoIdentityProviders=described["CognitoIdentityProviders"])
    message = fails("NotAuthorizedException", identity.get_id, IdentityPoolId=pool_id)
    assert "Unauthenticated access is not supported" in message, message
else:
    print("moto verifies no login token and keeps no identity per user", file=sys.stderr)

identity.delete_identity_pool(IdentityPoolId=pool_id)
fails("ResourceNotFoundException", identity.describe_identity_pool, IdentityPoolId=pool_id)
print(json.dumps(shapes, sort_keys=True))
