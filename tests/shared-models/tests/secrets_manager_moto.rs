//! A second service end to end: the Secrets Manager client generated from AWS's published model
//! (../shared/models/aws/secrets-manager.json) against a real moto_server, requests signed with
//! SigV4: create -> read -> update -> read -> delete, and the typed modeled errors
//! `ResourceExistsException` and `ResourceNotFoundException`. moto is installed and started
//! through scripts/peers.sh; if it cannot be, the test fails.

use shared_model_clients::secrets_manager::operation::{create_secret, get_secret_value};
use shared_model_clients::secrets_manager::Client;
use test_support::peers::Moto;

fn client(url: &str) -> Client {
    let config = awsjson_runtime::Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(awsjson_runtime::Credentials::new(
            "testing", "testing", None,
        ))
        .max_attempts(1)
        .build()
        .expect("config");
    Client::new(config).expect("client")
}

#[tokio::test(flavor = "current_thread")]
async fn create_read_update_delete_with_typed_errors() {
    let moto = Moto::start();
    let sm = client(&moto.url());
    let name = format!("app/db-password-{}", std::process::id());

    let created = sm
        .create_secret()
        .name(&name)
        .secret_string("first value")
        .description("made by the shared-model-clients test")
        .send()
        .await
        .expect("CreateSecret");
    assert_eq!(created.name.as_deref(), Some(name.as_str()));
    let arn = created.arn.expect("CreateSecret returns the ARN");
    assert!(arn.contains(":secretsmanager:us-east-1:"), "{arn}");
    assert!(created.version_id.is_some(), "a first version is created");

    match sm
        .create_secret()
        .name(&name)
        .secret_string("x")
        .send()
        .await
    {
        Err(create_secret::CreateSecretError::ResourceExistsException(e)) => {
            assert!(e.to_string().contains("already exists"), "{e}")
        }
        other => panic!("a second CreateSecret of the same name: {other:?}"),
    }

    let read = sm
        .get_secret_value()
        .secret_id(&name)
        .send()
        .await
        .expect("GetSecretValue");
    assert_eq!(read.secret_string.as_deref(), Some("first value"));
    assert_eq!(read.arn.as_deref(), Some(arn.as_str()));

    let updated = sm
        .update_secret()
        .secret_id(&arn)
        .secret_string("second value")
        .description("updated")
        .send()
        .await
        .expect("UpdateSecret");
    assert_eq!(updated.name.as_deref(), Some(name.as_str()));
    assert_ne!(updated.version_id, created.version_id, "a new version");

    let read = sm
        .get_secret_value()
        .secret_id(&name)
        .send()
        .await
        .expect("GetSecretValue after the update");
    assert_eq!(read.secret_string.as_deref(), Some("second value"));
    let described = sm
        .describe_secret()
        .secret_id(&name)
        .send()
        .await
        .expect("DescribeSecret");
    assert_eq!(described.description.as_deref(), Some("updated"));

    let deleted = sm
        .delete_secret()
        .secret_id(&name)
        .force_delete_without_recovery(true)
        .send()
        .await
        .expect("DeleteSecret");
    assert_eq!(deleted.arn.as_deref(), Some(arn.as_str()));

    match sm.get_secret_value().secret_id(&name).send().await {
        Err(get_secret_value::GetSecretValueError::ResourceNotFoundException(e)) => {
            let text = e.to_string();
            assert!(text.contains("can't find the specified secret"), "{text}");
        }
        other => panic!("GetSecretValue of a deleted secret: {other:?}"),
    }
}
