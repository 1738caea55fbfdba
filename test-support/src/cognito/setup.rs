//! Pools, app clients and users, set up through the generated admin operations.

use cognito_idp::types::{
    AttributeType, AuthFactorType, DeviceConfigurationType, ExplicitAuthFlowsType,
    MessageActionType, SchemaAttributeType, SignInPolicyType, UserPoolMfaType, UserPoolPolicyType,
    UsernameAttributeType,
};

use super::client;

/// The password [`user`] gives its users.
pub const PASSWORD: &str = "Passw0rd-Rust";

/// What a test asks of its pool and app client; the default is a plain pool and a client
/// without a secret that allows every flow.
#[derive(Clone, Debug, Default)]
pub struct PoolSpec {
    /// The app client has a secret.
    pub secret: bool,
    /// Users sign in with their email address.
    pub email_username: bool,
    pub mfa: Option<UserPoolMfaType>,
    /// Devices are remembered when the user asks (and challenged on a new one).
    pub devices: bool,
    /// Required schema attributes.
    pub required: Vec<&'static str>,
    /// USER_AUTH first factors PASSWORD and EMAIL_OTP (the default is PASSWORD only).
    pub email_otp: bool,
    /// ExplicitAuthFlows; empty = [`all_flows`].
    pub flows: Vec<ExplicitAuthFlowsType>,
}

/// A pool and its app client on the server at `url`.
#[derive(Clone, Debug)]
pub struct Pool {
    pub url: String,
    pub id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

/// Every sign-in flow an app client can allow.
pub fn all_flows() -> Vec<ExplicitAuthFlowsType> {
    vec![
        ExplicitAuthFlowsType::AllowUserSrpAuth,
        ExplicitAuthFlowsType::AllowUserPasswordAuth,
        ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ExplicitAuthFlowsType::AllowCustomAuth,
        ExplicitAuthFlowsType::AllowUserAuth,
    ]
}

/// Creates a pool (with a name of its own, so pools on a shared server never collide) and an
/// app client "app" as `spec` asks.
pub async fn create_pool(url: &str, spec: PoolSpec) -> Pool {
    let admin = client(url);
    let name = format!("test-{}", crate::peers::free_port());
    let mut req = admin.create_user_pool().pool_name(name);
    if spec.email_username {
        req = req.username_attributes(UsernameAttributeType::Email);
    }
    if let Some(mfa) = spec.mfa.clone() {
        req = req.mfa_configuration(mfa);
    }
    if spec.email_otp {
        req = req.policies(
            UserPoolPolicyType::builder()
                .sign_in_policy(
                    SignInPolicyType::builder()
                        .allowed_first_auth_factors(AuthFactorType::Password)
                        .allowed_first_auth_factors(AuthFactorType::EmailOtp)
                        .build()
                        .expect("sign-in policy"),
                )
                .build()
                .expect("pool policies"),
        );
    }
    if spec.devices {
        req = req.device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .device_only_remembered_on_user_prompt(true)
                .build()
                .expect("device configuration"),
        );
    }
    for name in &spec.required {
        req = req.schema(
            SchemaAttributeType::builder()
                .name(*name)
                .required(true)
                .mutable(true)
                .build()
                .expect("schema attribute"),
        );
    }
    let id = req
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    let flows = if spec.flows.is_empty() {
        all_flows()
    } else {
        spec.flows
    };
    let app = admin
        .create_user_pool_client()
        .user_pool_id(id.clone())
        .client_name("app")
        .generate_secret(spec.secret)
        .set_explicit_auth_flows(Some(flows))
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .expect("client");
    Pool {
        url: url.to_owned(),
        id,
        client_id: app.client_id.expect("client id"),
        client_secret: app.client_secret,
    }
}

/// A user with [`PASSWORD`]; `temporary` leaves it in FORCE_CHANGE_PASSWORD.
pub async fn user(pool: &Pool, username: &str, attributes: &[(&str, &str)], temporary: bool) {
    create_user(pool, username, PASSWORD, attributes, temporary).await
}

/// A user with `password`, permanent or (`temporary`) to be changed at the first sign-in.
pub async fn create_user(
    pool: &Pool,
    username: &str,
    password: &str,
    attributes: &[(&str, &str)],
    temporary: bool,
) {
    let admin = client(&pool.url);
    let mut req = admin
        .admin_create_user()
        .user_pool_id(pool.id.clone())
        .username(username)
        .message_action(MessageActionType::Suppress)
        .temporary_password(password);
    for (name, value) in attributes {
        req = req.user_attributes(AttributeType {
            name: (*name).to_owned(),
            value: Some((*value).to_owned()),
        });
    }
    req.send().await.expect("AdminCreateUser");
    if !temporary {
        admin
            .admin_set_user_password()
            .user_pool_id(pool.id.clone())
            .username(username)
            .password(password)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
    }
}
