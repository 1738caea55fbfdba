"""Sets up a user pool's OAuth side with boto3: a domain, a resource server with custom scopes,
an app client with OAuth settings, and reads them back. The same script runs against moto and
against cognito-emulator; it prints the member names of each response so the shapes can be
compared.

usage: oauth_boto3.py ENDPOINT
prints one JSON object: {response name: sorted member names (nested as "A.B")}
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                   config=Config(retries={"max_attempts": 1}))


def shape(value, prefix=""):
    """Member names of a response, nested ones as A.B (lists: their first item)."""
    names = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "ResponseMetadata":
                continue
            names.append(prefix + k)
            names.extend(shape(v, prefix + k + "."))
    elif isinstance(value, list) and value:
        names.extend(shape(value[0], prefix))
    return sorted(names)


out = {}
pool_id = idp.create_user_pool(PoolName="oauth-peers")["UserPool"]["Id"]
out["CreateUserPoolDomain"] = shape(idp.create_user_pool_domain(Domain="peers-app", UserPoolId=pool_id))
described = idp.describe_user_pool_domain(Domain="peers-app")
assert described["DomainDescription"]["UserPoolId"] == pool_id, described
assert described["DomainDescription"]["Domain"] == "peers-app"
out["DescribeUserPoolDomain"] = shape(described)
scopes = [{"ScopeName": "read", "ScopeDescription": "read orders"},
          {"ScopeName": "write", "ScopeDescription": "write orders"}]
created = idp.create_resource_server(UserPoolId=pool_id, Identifier="orders", Name="Orders", Scopes=scopes)
assert created["ResourceServer"]["Scopes"] == scopes, created
out["CreateResourceServer"] = shape(created)
out["DescribeResourceServer"] = shape(idp.describe_resource_server(UserPoolId=pool_id, Identifier="orders"))
listed = idp.list_resource_servers(UserPoolId=pool_id, MaxResults=10)
assert [rs["Identifier"] for rs in listed["ResourceServers"]] == ["orders"], listed
out["ListResourceServers"] = shape(listed)


def served(name, call):
    """The response's shape, or None where the server fails with a server error (moto 5.2
    answers UpdateResourceServer and DeleteResourceServer so): recorded as not served."""
    try:
        out[name] = shape(call())
    except ClientError as e:
        if e.response["ResponseMetadata"]["HTTPStatusCode"] < 500:
            raise
        out[name] = None


served("UpdateResourceServer", lambda: idp.update_resource_server(
    UserPoolId=pool_id, Identifier="orders", Name="Orders v2", Scopes=scopes[:1]))
client = idp.create_user_pool_client(
    UserPoolId=pool_id, ClientName="web", GenerateSecret=False,
    AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True,
    AllowedOAuthScopes=["openid", "email", "orders/read"],
    CallbackURLs=["https://app.example.com/cb", "http://localhost:8400/callback"],
    LogoutURLs=["https://app.example.com/bye"], SupportedIdentityProviders=["COGNITO"],
)["UserPoolClient"]
described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])["UserPoolClient"]
for member in ["AllowedOAuthFlows", "AllowedOAuthScopes", "CallbackURLs", "LogoutURLs",
               "SupportedIdentityProviders", "AllowedOAuthFlowsUserPoolClient"]:
    assert described[member] == client[member], (member, described)
out["DescribeUserPoolClient.OAuth"] = sorted(
    k for k in described if k.startswith("Allowed") or k.endswith("URLs") or k == "SupportedIdentityProviders")
served("DeleteResourceServer", lambda: idp.delete_resource_server(UserPoolId=pool_id, Identifier="orders"))
out["DeleteUserPoolDomain"] = shape(idp.delete_user_pool_domain(Domain="peers-app", UserPoolId=pool_id))
print(json.dumps(out))
