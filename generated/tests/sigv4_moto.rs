//! The runtime's own SigV4 signer against a server that checks signatures: moto with IAM
//! authentication switched on (`/moto-api/reset-auth`), which recomputes every signature with
//! botocore and refuses a mismatch. Signed admin operations pass with the right secret and are
//! refused with a wrong one. Needs the Python peers (scripts/peers.sh); fails if they are missing.

use std::process::Command;

use cognito_idp::runtime::{Config, Credentials};
use cognito_idp::types::MessageActionType;
use cognito_idp::Client;
use test_support::peers::{repo_root, Moto};

/// Switches IAM authentication on after three unauthenticated calls, which create an IAM user
/// allowed everything and its access key; prints the key id and secret.
const CREATE_IAM_USER: &str = r#"
import json, sys, urllib.request
import boto3
url = sys.argv[1]
# A body without a form content type: moto reads it raw.
urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset-auth", data=b"3", method="POST",
                                              headers={"Content-Type": "text/plain"})).read()
iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="signer")
iam.put_user_policy(UserName="signer", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="signer")["AccessKey"]
print(key["AccessKeyId"])
print(key["SecretAccessKey"])
"#;

fn client(url: &str, access_key_id: &str, secret: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::new(access_key_id, secret, None))
        .max_attempts(1)
        .build()
        .expect("config");
    Client::new(config).expect("client")
}

#[tokio::test]
async fn moto_accepts_our_signatures_and_refuses_a_wrong_secret() {
    let moto = Moto::fresh();
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/peers.sh"))
        .args(["python", "-c", CREATE_IAM_USER, &moto.url()])
        .current_dir(repo_root())
        .output()
        .expect("cannot run scripts/peers.sh");
    assert!(
        out.status.success(),
        "creating the IAM user in moto failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines = stdout.lines();
    let (key_id, secret) = (lines.next().unwrap(), lines.next().unwrap());

    let admin = client(&moto.url(), key_id, secret);
    let pool = admin
        .create_user_pool()
        .pool_name("signed")
        .send()
        .await
        .expect("CreateUserPool signed with the IAM user's key")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    admin
        .admin_create_user()
        .user_pool_id(pool.clone())
        .username("alice-é")
        .message_action(MessageActionType::Suppress)
        .temporary_password("Passw0rd!x")
        .send()
        .await
        .expect("AdminCreateUser (a non-ASCII body) signed");
    admin
        .admin_disable_user()
        .user_pool_id(pool.clone())
        .username("alice-é")
        .send()
        .await
        .expect("AdminDisableUser signed");

    let forged = client(&moto.url(), key_id, "not-the-secret");
    let err = forged
        .admin_enable_user()
        .user_pool_id(pool)
        .username("alice-é")
        .send()
        .await
        .expect_err("a wrong secret must be refused");
    let text = format!("{err:?} {err}");
    assert!(
        text.contains("SignatureDoesNotMatch") || text.contains("403"),
        "moto should refuse the signature: {text}"
    );
    // Back to moto's default (no authentication) before the server is shared again.
    let reset = Command::new("bash")
        .arg(repo_root().join("scripts/peers.sh"))
        .args([
            "python",
            "-c",
            "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(\
             sys.argv[1] + '/moto-api/reset-auth', data=b'inf', method='POST', \
             headers={'Content-Type': 'text/plain'})).read()",
            &moto.url(),
        ])
        .output()
        .expect("cannot run scripts/peers.sh");
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
}
