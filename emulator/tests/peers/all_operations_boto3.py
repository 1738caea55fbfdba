"""Calls every operation the emulator serves at least once with boto3, in a sequence that makes
each call meaningful (pools, clients, users, sign-ins, tokens, devices, MFA, groups), and prints
one JSON object: for each operation, the shape of its answer (the nested member names) or the
error code. Run against moto too, the shapes can be compared where moto has the operation.

usage: all_operations_boto3.py ENDPOINT_URL OPERATION,OPERATION,...
A served operation that this script has no call for is an error (the list comes from the
emulator), so the script cannot fall behind what is served.
"""
import base64
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.request

import boto3
from botocore.exceptions import ClientError

endpoint, served = sys.argv[1], set(sys.argv[2].split(","))
idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1")
out = {}


def shape(v):
    if isinstance(v, dict):
        return {k: shape(x) for k, x in sorted(v.items()) if k != "ResponseMetadata"}
    if isinstance(v, list):
        return [shape(v[0])] if v else []
    return type(v).__name__


def call(op, **kwargs):
    method = getattr(idp, "".join("_" + c.lower() if c.isupper() else c for c in op).lstrip("_")
                     .replace("m_f_a", "mfa").replace("s_m_s", "sms"))
    try:
        r = method(**kwargs)
    except ClientError as e:
        out.setdefault(op, {"error": e.response["Error"]["Code"]})
        return None
    out[op] = {"shape": shape(r)}
    return r


def codes(pool, user):
    try:
        with urllib.request.urlopen(f"{endpoint}/_emulator/codes/{pool}/{user}", timeout=5) as r:
            return [c["code"] for c in json.load(r)["codes"]]
    except Exception:
        return ["000000"]


def totp(secret):
    try:
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    except ValueError:  # moto's SecretCode is not base32
        return "000000"
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    o = mac[19] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


pw = "Passw0rd!x"
pool = call("CreateUserPool", PoolName="ops", MfaConfiguration="OPTIONAL",
            DeviceConfiguration={"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False},
            AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
call("DescribeUserPool", UserPoolId=pool)
call("ListUserPools", MaxResults=10)
flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
         "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_AUTH"]
client = call("CreateUserPoolClient", UserPoolId=pool, ClientName="app", ExplicitAuthFlows=flows)["UserPoolClient"]["ClientId"]
call("DescribeUserPoolClient", UserPoolId=pool, ClientId=client)

call("SignUp", ClientId=client, Username="sue", Password=pw,
     UserAttributes=[{"Name": "email", "Value": "sue@example.com"}])
call("ResendConfirmationCode", ClientId=client, Username="sue")
call("ConfirmSignUp", ClientId=client, Username="sue", ConfirmationCode=codes(pool, "sue")[-1])
call("AdminCreateUser", UserPoolId=pool, Username="amy", MessageAction="SUPPRESS", TemporaryPassword=pw,
     UserAttributes=[{"Name": "email", "Value": "amy@example.com"}])
call("AdminSetUserPassword", UserPoolId=pool, Username="amy", Password=pw, Permanent=True)
call("SignUp", ClientId=client, Username="una", Password=pw)
call("AdminConfirmSignUp", UserPoolId=pool, Username="una")
call("AdminGetUser", UserPoolId=pool, Username="amy")
call("AdminUpdateUserAttributes", UserPoolId=pool, Username="amy",
     UserAttributes=[{"Name": "name", "Value": "Amy"}])
call("ListUsers", UserPoolId=pool, Limit=10)
call("AdminDisableUser", UserPoolId=pool, Username="una")
call("AdminEnableUser", UserPoolId=pool, Username="una")

auth = call("InitiateAuth", ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "sue", "PASSWORD": pw})
tokens = auth["AuthenticationResult"] if auth else {}
access = tokens.get("AccessToken", "x")
admin = call("AdminInitiateAuth", UserPoolId=pool, ClientId=client, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
             AuthParameters={"USERNAME": "amy", "PASSWORD": pw})
amy_access = (admin or {}).get("AuthenticationResult", {}).get("AccessToken", "x")
call("GetUser", AccessToken=access)
device = (tokens.get("NewDeviceMetadata") or {}).get("DeviceKey", "us-east-1_00000000-0000-4000-8000-000000000000")
verifier = base64.b64encode(b"\x01" + bytes(255)).decode()
call("ConfirmDevice", AccessToken=access, DeviceKey=device, DeviceName="laptop",
     DeviceSecretVerifierConfig={"PasswordVerifier": verifier, "Salt": base64.b64encode(b"salt-bytes-16..!").decode()})
call("UpdateDeviceStatus", AccessToken=access, DeviceKey=device, DeviceRememberedStatus="remembered")
call("ForgetDevice", AccessToken=access, DeviceKey=device)
secret = call("AssociateSoftwareToken", AccessToken=access)
if secret:
    call("VerifySoftwareToken", AccessToken=access, UserCode=totp(secret["SecretCode"]))
call("SetUserMFAPreference", AccessToken=access, SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False})
call("AdminSetUserMFAPreference", UserPoolId=pool, Username="amy",
     SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False})
call("ChangePassword", AccessToken=access, PreviousPassword=pw, ProposedPassword=pw + "2")
call("GetTokensFromRefreshToken", RefreshToken=tokens.get("RefreshToken", "x"), ClientId=client)
call("RevokeToken", Token=tokens.get("RefreshToken", "x"), ClientId=client)
call("GlobalSignOut", AccessToken=amy_access)

# Challenge answers: NEW_PASSWORD_REQUIRED for a user with a temporary password.
call("AdminCreateUser", UserPoolId=pool, Username="tom", MessageAction="SUPPRESS", TemporaryPassword=pw)
step = call("InitiateAuth", ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "tom", "PASSWORD": pw})
if step and step.get("Session"):
    call("RespondToAuthChallenge", ClientId=client, ChallengeName="NEW_PASSWORD_REQUIRED", Session=step["Session"],
         ChallengeResponses={"USERNAME": "tom", "NEW_PASSWORD": pw + "3"})
call("AdminCreateUser", UserPoolId=pool, Username="tim", MessageAction="SUPPRESS", TemporaryPassword=pw)
step = call("AdminInitiateAuth", UserPoolId=pool, ClientId=client, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "tim", "PASSWORD": pw})
if step and step.get("Session"):
    call("AdminRespondToAuthChallenge", UserPoolId=pool, ClientId=client, ChallengeName="NEW_PASSWORD_REQUIRED",
         Session=step["Session"], ChallengeResponses={"USERNAME": "tim", "NEW_PASSWORD": pw + "3"})

call("ForgotPassword", ClientId=client, Username="amy")
call("ConfirmForgotPassword", ClientId=client, Username="amy", ConfirmationCode=codes(pool, "amy")[-1], Password=pw + "4")

call("CreateGroup", UserPoolId=pool, GroupName="team", Precedence=2)
call("GetGroup", UserPoolId=pool, GroupName="team")
call("UpdateGroup", UserPoolId=pool, GroupName="team", Description="the team")
call("ListGroups", UserPoolId=pool)
call("AdminAddUserToGroup", UserPoolId=pool, Username="amy", GroupName="team")
call("AdminListGroupsForUser", UserPoolId=pool, Username="amy")
call("ListUsersInGroup", UserPoolId=pool, GroupName="team")
call("AdminRemoveUserFromGroup", UserPoolId=pool, Username="amy", GroupName="team")
call("DeleteGroup", UserPoolId=pool, GroupName="team")

call("CreateUserPoolDomain", UserPoolId=pool, Domain="ops-test-domain")
call("DescribeUserPoolDomain", Domain="ops-test-domain")
call("UpdateUserPoolDomain", UserPoolId=pool, Domain="ops-test-domain", ManagedLoginVersion=2)
call("DeleteUserPoolDomain", UserPoolId=pool, Domain="ops-test-domain")
scopes = [{"ScopeName": "read", "ScopeDescription": "reading"}]
call("CreateResourceServer", UserPoolId=pool, Identifier="https://api.example.com", Name="api", Scopes=scopes)
call("DescribeResourceServer", UserPoolId=pool, Identifier="https://api.example.com")
call("ListResourceServers", UserPoolId=pool, MaxResults=10)
call("UpdateResourceServer", UserPoolId=pool, Identifier="https://api.example.com", Name="api2", Scopes=scopes)
call("DeleteResourceServer", UserPoolId=pool, Identifier="https://api.example.com")

call("AdminDeleteUser", UserPoolId=pool, Username="tim")
call("DeleteUserPoolClient", UserPoolId=pool, ClientId=client)
call("DeleteUserPool", UserPoolId=pool)

missing = sorted(served - set(out))
if missing:
    print("no call for served operations: " + ", ".join(missing), file=sys.stderr)
    sys.exit(3)
print(json.dumps(out, sort_keys=True))
