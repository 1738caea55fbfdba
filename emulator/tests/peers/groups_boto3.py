"""Drives user-pool groups with boto3 the same way against any Cognito endpoint (moto, the
emulator) and prints what it saw as one JSON object, so the caller can compare servers.

usage: groups_boto3.py ENDPOINT_URL
"""
import base64
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1")
out = {}


def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


pool = idp.create_user_pool(PoolName="groups")["UserPool"]["Id"]
client = idp.create_user_pool_client(
    UserPoolId=pool, ClientName="app",
    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]["ClientId"]
idp.admin_create_user(UserPoolId=pool, Username="gina", MessageAction="SUPPRESS")
idp.admin_set_user_password(UserPoolId=pool, Username="gina", Password="Passw0rd!x", Permanent=True)

role = "arn:aws:iam::123456789012:role/"
made = idp.create_group(UserPoolId=pool, GroupName="readers", Description="read only",
                        Precedence=5, RoleArn=role + "readers")["Group"]
out["created"] = {k: made.get(k) for k in ("GroupName", "Description", "Precedence", "RoleArn")}
out["created_has_dates"] = "CreationDate" in made and "LastModifiedDate" in made
idp.create_group(UserPoolId=pool, GroupName="admins", Precedence=1, RoleArn=role + "admins")
idp.create_group(UserPoolId=pool, GroupName="plain")
out["duplicate"] = error_code(idp.create_group, UserPoolId=pool, GroupName="admins")
out["get_missing"] = error_code(idp.get_group, UserPoolId=pool, GroupName="nope")
out["add_to_missing_group"] = error_code(idp.admin_add_user_to_group, UserPoolId=pool,
                                         Username="gina", GroupName="nope")
out["add_missing_user"] = error_code(idp.admin_add_user_to_group, UserPoolId=pool,
                                     Username="nobody", GroupName="admins")
out["listed"] = sorted(g["GroupName"] for g in idp.list_groups(UserPoolId=pool)["Groups"])

for g in ("readers", "admins", "plain"):
    idp.admin_add_user_to_group(UserPoolId=pool, Username="gina", GroupName=g)
out["groups_for_user"] = sorted(
    g["GroupName"] for g in idp.admin_list_groups_for_user(UserPoolId=pool, Username="gina")["Groups"])
out["users_in_admins"] = [u["Username"] for u in
                          idp.list_users_in_group(UserPoolId=pool, GroupName="admins")["Users"]]

updated = idp.update_group(UserPoolId=pool, GroupName="readers", Description="readers, updated")["Group"]
out["updated"] = {k: updated.get(k) for k in ("GroupName", "Description", "Precedence", "RoleArn")}
out["got"] = {k: v for k, v in idp.get_group(UserPoolId=pool, GroupName="readers")["Group"].items()
              if k in ("GroupName", "Description", "Precedence", "RoleArn")}

tokens = idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
                           AuthParameters={"USERNAME": "gina", "PASSWORD": "Passw0rd!x"})["AuthenticationResult"]
out["id_token"] = {k: v for k, v in claims(tokens["IdToken"]).items() if k.startswith("cognito:") and k != "cognito:username"}
out["access_token"] = {k: v for k, v in claims(tokens["AccessToken"]).items() if k.startswith("cognito:")}

idp.admin_remove_user_from_group(UserPoolId=pool, Username="gina", GroupName="plain")
idp.delete_group(UserPoolId=pool, GroupName="readers")
out["after_remove_and_delete"] = sorted(
    g["GroupName"] for g in idp.admin_list_groups_for_user(UserPoolId=pool, Username="gina")["Groups"])
out["get_deleted"] = error_code(idp.get_group, UserPoolId=pool, GroupName="readers")
print(json.dumps(out, sort_keys=True))
