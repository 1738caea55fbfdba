"""Creates a user pool, two app clients (with and without a secret) and a confirmed user with
boto3. The same script runs against moto and against cognito-emulator.

usage: setup_boto3.py ENDPOINT USERNAME PASSWORD [--devices]
prints one JSON object: pool_id, client_id, secret_client_id, client_secret, user_status
"""
import json
import sys

import boto3

endpoint, username, password = sys.argv[1:4]
devices = "--devices" in sys.argv[4:]
idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1")

pool_args = dict(
    PoolName="peers",
    Policies={"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": True,
                                 "RequireLowercase": True, "RequireNumbers": True,
                                 "RequireSymbols": False}},
    AutoVerifiedAttributes=["email"],
    MfaConfiguration="OFF",
)
if devices:
    pool_args["DeviceConfiguration"] = {"ChallengeRequiredOnNewDevice": False,
                                        "DeviceOnlyRememberedOnUserPrompt": True}
pool = idp.create_user_pool(**pool_args)["UserPool"]
pool_id = pool["Id"]
assert pool["Name"] == "peers"

flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
plain = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="plain",
                                    GenerateSecret=False, ExplicitAuthFlows=flows)["UserPoolClient"]
assert "ClientSecret" not in plain
secret = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="secret",
                                     GenerateSecret=True, ExplicitAuthFlows=flows)["UserPoolClient"]
assert secret["ClientSecret"]
described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=secret["ClientId"])
assert described["UserPoolClient"]["ClientSecret"] == secret["ClientSecret"]
assert sorted(described["UserPoolClient"]["ExplicitAuthFlows"]) == sorted(flows)

created = idp.admin_create_user(
    UserPoolId=pool_id, Username=username, TemporaryPassword="Temp0rary!pw",
    MessageAction="SUPPRESS",
    UserAttributes=[{"Name": "email", "Value": "peer@example.com"},
                    {"Name": "email_verified", "Value": "true"}],
)["User"]
assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD", created
idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
listed = idp.list_users(UserPoolId=pool_id)["Users"]
assert [u["Username"] for u in listed] == [username]

try:
    idp.admin_get_user(UserPoolId=pool_id, Username="nobody")
    raise SystemExit("expected UserNotFoundException")
except idp.exceptions.UserNotFoundException:
    pass

print(json.dumps({
    "pool_id": pool_id,
    "client_id": plain["ClientId"],
    "secret_client_id": secret["ClientId"],
    "client_secret": secret["ClientSecret"],
    "user_status": user["UserStatus"],
}))
