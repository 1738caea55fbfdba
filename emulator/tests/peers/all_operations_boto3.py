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
                     .replace("m_f_a", "mfa").replace("s_m_s", "sms").replace("c_s_v", "csv")
                     .replace("_u_i_", "_ui_"))
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


def feedback_token(pool, user, event):
    """The feedback token of a sign-in event, from the notification the emulator keeps."""
    try:
        with urllib.request.urlopen(f"{endpoint}/_emulator/codes/{pool}/{user}", timeout=5) as r:
            return next(c["code"] for c in json.load(r)["codes"]
                        if c["kind"] == "AuthEventFeedback" and c["destination"] == event)
    except Exception:
        return "x"


def first(r, *path, default="x"):
    """A member of an answer, or `default` when the call failed (on moto)."""
    for p in path:
        if r is None:
            return default
        r = r[p] if isinstance(r, list) else r.get(p)
    return default if r is None else r


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
call("GetUserPoolMfaConfig", UserPoolId=pool)
call("SetUserPoolMfaConfig", UserPoolId=pool, MfaConfiguration="OPTIONAL",
     SoftwareTokenMfaConfiguration={"Enabled": True})
call("ListUserPools", MaxResults=10)
flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
         "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_AUTH"]
client = call("CreateUserPoolClient", UserPoolId=pool, ClientName="app", ExplicitAuthFlows=flows)["UserPoolClient"]["ClientId"]
call("DescribeUserPoolClient", UserPoolId=pool, ClientId=client)
call("UpdateUserPoolClient", UserPoolId=pool, ClientId=client, ClientName="app", ExplicitAuthFlows=flows)
call("ListUserPoolClients", UserPoolId=pool, MaxResults=10)

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
call("AdminDeleteUserAttributes", UserPoolId=pool, Username="amy", UserAttributeNames=["name"])
call("AdminSetUserSettings", UserPoolId=pool, Username="amy", MFAOptions=[])
call("AdminUserGlobalSignOut", UserPoolId=pool, Username="una")

auth = call("InitiateAuth", ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "sue", "PASSWORD": pw})
tokens = auth["AuthenticationResult"] if auth else {}
access = tokens.get("AccessToken", "x")
admin = call("AdminInitiateAuth", UserPoolId=pool, ClientId=client, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
             AuthParameters={"USERNAME": "amy", "PASSWORD": pw})
amy_access = (admin or {}).get("AuthenticationResult", {}).get("AccessToken", "x")
call("GetUser", AccessToken=access)
call("GetUserAuthFactors", AccessToken=access)
call("UpdateUserAttributes", AccessToken=access,
     UserAttributes=[{"Name": "name", "Value": "Sue"}, {"Name": "email", "Value": "sue2@example.com"}])
call("GetUserAttributeVerificationCode", AccessToken=access, AttributeName="email")
call("VerifyUserAttribute", AccessToken=access, AttributeName="email", Code=codes(pool, "sue")[-1])
call("DeleteUserAttributes", AccessToken=access, UserAttributeNames=["name"])
call("SetUserSettings", AccessToken=access, MFAOptions=[])
device = (tokens.get("NewDeviceMetadata") or {}).get("DeviceKey", "us-east-1_00000000-0000-4000-8000-000000000000")
verifier = base64.b64encode(b"\x01" + bytes(255)).decode()
call("ConfirmDevice", AccessToken=access, DeviceKey=device, DeviceName="laptop",
     DeviceSecretVerifierConfig={"PasswordVerifier": verifier, "Salt": base64.b64encode(b"salt-bytes-16..!").decode()})
call("UpdateDeviceStatus", AccessToken=access, DeviceKey=device, DeviceRememberedStatus="remembered")
call("GetDevice", AccessToken=access, DeviceKey=device)
call("ListDevices", AccessToken=access, Limit=10)
call("AdminGetDevice", UserPoolId=pool, Username="sue", DeviceKey=device)
call("AdminListDevices", UserPoolId=pool, Username="sue", Limit=10)
call("AdminUpdateDeviceStatus", UserPoolId=pool, Username="sue", DeviceKey=device,
     DeviceRememberedStatus="not_remembered")
call("ForgetDevice", AccessToken=access, DeviceKey=device)
amy_device = first(admin, "AuthenticationResult", "NewDeviceMetadata", "DeviceKey", default=device)
call("AdminForgetDevice", UserPoolId=pool, Username="amy", DeviceKey=amy_device)
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

call("AdminResetUserPassword", UserPoolId=pool, Username="amy")

# A second pool for what a pool holds besides users: tags, custom attributes, client secrets,
# threat protection, identity providers, user import, managed login branding, terms.
pool2 = call("CreateUserPool", PoolName="ops2")["UserPool"]["Id"]
call("UpdateUserPool", UserPoolId=pool2, UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})
arn = first(call("DescribeUserPool", UserPoolId=pool2), "UserPool", "Arn")
call("TagResource", ResourceArn=arn, Tags={"team": "ops"})
call("ListTagsForResource", ResourceArn=arn)
call("UntagResource", ResourceArn=arn, TagKeys=["team"])
call("AddCustomAttributes", UserPoolId=pool2,
     CustomAttributes=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}])
header = first(call("GetCSVHeader", UserPoolId=pool2), "CSVHeader", default=[])
call("GetSigningCertificate", UserPoolId=pool2)
app2 = first(call("CreateUserPoolClient", UserPoolId=pool2, ClientName="app2",
                  ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
             "UserPoolClient", "ClientId")
private = first(call("CreateUserPoolClient", UserPoolId=pool2, ClientName="private", GenerateSecret=True),
                "UserPoolClient", "ClientId")
call("AddUserPoolClientSecret", UserPoolId=pool2, ClientId=private)
old_secret = first(call("ListUserPoolClientSecrets", UserPoolId=pool2, ClientId=private),
                   "ClientSecrets", 0, "ClientSecretId")
call("DeleteUserPoolClientSecret", UserPoolId=pool2, ClientId=private, ClientSecretId=old_secret)

call("AdminCreateUser", UserPoolId=pool2, Username="pat", MessageAction="SUPPRESS", TemporaryPassword=pw)
call("AdminSetUserPassword", UserPoolId=pool2, Username="pat", Password=pw, Permanent=True)
call("AdminInitiateAuth", UserPoolId=pool2, ClientId=app2, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
     AuthParameters={"USERNAME": "pat", "PASSWORD": pw})
event = first(call("AdminListUserAuthEvents", UserPoolId=pool2, Username="pat", MaxResults=10),
              "AuthEvents", 0, "EventId")
call("AdminUpdateAuthEventFeedback", UserPoolId=pool2, Username="pat", EventId=event, FeedbackValue="Valid")
call("UpdateAuthEventFeedback", UserPoolId=pool2, Username="pat", EventId=event,
     FeedbackToken=feedback_token(pool2, "pat", event), FeedbackValue="Valid")
call("SetRiskConfiguration", UserPoolId=pool2,
     CompromisedCredentialsRiskConfiguration={"Actions": {"EventAction": "BLOCK"}})
call("DescribeRiskConfiguration", UserPoolId=pool2)
call("SetLogDeliveryConfiguration", UserPoolId=pool2, LogConfigurations=[{
    "LogLevel": "ERROR", "EventSource": "userNotification",
    "CloudWatchLogsConfiguration": {"LogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:cognito"}}])
call("GetLogDeliveryConfiguration", UserPoolId=pool2)

details = {"client_id": "idp-client", "client_secret": "idp-secret", "attributes_request_method": "GET",
           "oidc_issuer": "https://issuer.example.com", "authorize_scopes": "openid email"}
call("CreateIdentityProvider", UserPoolId=pool2, ProviderName="corp", ProviderType="OIDC",
     ProviderDetails=details, AttributeMapping={"email": "email"}, IdpIdentifiers=["corp.example"])
call("DescribeIdentityProvider", UserPoolId=pool2, ProviderName="corp")
call("GetIdentityProviderByIdentifier", UserPoolId=pool2, IdpIdentifier="corp.example")
call("UpdateIdentityProvider", UserPoolId=pool2, ProviderName="corp",
     AttributeMapping={"email": "email", "name": "name"})
call("ListIdentityProviders", UserPoolId=pool2, MaxResults=10)
corp_user = {"ProviderName": "corp", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "corp-1"}
call("AdminLinkProviderForUser", UserPoolId=pool2, SourceUser=corp_user,
     DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "pat"})
call("AdminDisableProviderForUser", UserPoolId=pool2, User=corp_user)
call("DeleteIdentityProvider", UserPoolId=pool2, ProviderName="corp")

role = "arn:aws:iam::123456789012:role/import"
job = call("CreateUserImportJob", UserPoolId=pool2, JobName="import", CloudWatchLogsRoleArn=role)
job_id, url = first(job, "UserImportJob", "JobId"), first(job, "UserImportJob", "PreSignedUrl", default="")
call("DescribeUserImportJob", UserPoolId=pool2, JobId=job_id)
call("ListUserImportJobs", UserPoolId=pool2, MaxResults=10)
if url.startswith(endpoint):  # moto's URL points at S3, which it does not serve here
    row = {"cognito:username": "imported", "email": "imported@example.com", "email_verified": "true",
           "cognito:mfa_enabled": "false"}
    csv = ",".join(header) + "\n" + ",".join(row.get(h, "") for h in header) + "\n"
    urllib.request.urlopen(urllib.request.Request(url, data=csv.encode(), method="PUT",
                                                  headers={"x-amz-server-side-encryption": "aws:kms"}),
                           timeout=5).read()
call("StartUserImportJob", UserPoolId=pool2, JobId=job_id)
job2 = first(call("CreateUserImportJob", UserPoolId=pool2, JobName="stopped", CloudWatchLogsRoleArn=role),
             "UserImportJob", "JobId")
call("StopUserImportJob", UserPoolId=pool2, JobId=job2)

branding = first(call("CreateManagedLoginBranding", UserPoolId=pool2, ClientId=app2, UseCognitoProvidedValues=True),
                 "ManagedLoginBranding", "ManagedLoginBrandingId")
call("DescribeManagedLoginBranding", UserPoolId=pool2, ManagedLoginBrandingId=branding)
call("DescribeManagedLoginBrandingByClient", UserPoolId=pool2, ClientId=app2)
call("UpdateManagedLoginBranding", UserPoolId=pool2, ManagedLoginBrandingId=branding,
     UseCognitoProvidedValues=False, Settings={"components": {}})
call("DeleteManagedLoginBranding", UserPoolId=pool2, ManagedLoginBrandingId=branding)
png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
call("SetUICustomization", UserPoolId=pool2, ClientId=app2, CSS=".banner-customizable { background-color: #336; }",
     ImageFile=png)
call("GetUICustomization", UserPoolId=pool2, ClientId=app2)
terms = first(call("CreateTerms", UserPoolId=pool2, ClientId=app2, TermsName="terms-of-use", TermsSource="LINK",
                   Enforcement="NONE", Links={"cognito:default": "https://example.com/terms"}),
              "Terms", "TermsId")
call("DescribeTerms", UserPoolId=pool2, TermsId=terms)
call("ListTerms", UserPoolId=pool2, MaxResults=10)
call("UpdateTerms", UserPoolId=pool2, TermsId=terms, Links={"cognito:default": "https://example.com/terms-v2"})
call("DeleteTerms", UserPoolId=pool2, TermsId=terms)
call("DeleteUserPool", UserPoolId=pool2)

call("AdminDeleteUser", UserPoolId=pool, Username="tim")
call("AdminCreateUser", UserPoolId=pool, Username="dee", MessageAction="SUPPRESS", TemporaryPassword=pw)
call("AdminSetUserPassword", UserPoolId=pool, Username="dee", Password=pw, Permanent=True)
dee = call("InitiateAuth", ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
           AuthParameters={"USERNAME": "dee", "PASSWORD": pw})
call("DeleteUser", AccessToken=first(dee, "AuthenticationResult", "AccessToken"))
call("DeleteUserPoolClient", UserPoolId=pool, ClientId=client)
call("DeleteUserPool", UserPoolId=pool)

missing = sorted(served - set(out))
if missing:
    print("no call for served operations: " + ", ".join(missing), file=sys.stderr)
    sys.exit(3)
print(json.dumps(out, sort_keys=True))
