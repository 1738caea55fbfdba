//! What happens during a sign-in, for progress output and logs. Events never carry a password,
//! token, session, secret hash or SECRET_BLOCK.

use std::collections::BTreeMap;
use std::time::Duration;

/// One step of a sign-in or refresh. Every event is also logged with `tracing` at debug level
/// (target `cognito_idp::auth`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AuthEvent {
    /// InitiateAuth is being sent.
    Initiate {
        /// AuthFlow.
        flow: String,
        /// USERNAME as sent (what the user typed), if the flow sends one.
        username: Option<String>,
        /// Names of the AuthParameters sent (values are not shown).
        parameters: Vec<String>,
        /// SRP_A, when the flow starts SRP (public).
        srp_a: Option<String>,
        /// The remembered device's key, when DEVICE_KEY is sent.
        device_key: Option<String>,
    },
    /// Cognito asked a challenge.
    Challenge {
        /// ChallengeName.
        name: String,
        /// ChallengeParameters, with SECRET_BLOCK replaced by `<secret block, N chars>`.
        parameters: BTreeMap<String, String>,
    },
    /// An SRP password claim was computed (PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER).
    PasswordClaim {
        /// The SRP identity used in the math (USER_ID_FOR_SRP, or the device key).
        identity: String,
        /// The TIMESTAMP signed and sent.
        timestamp: String,
    },
    /// RespondToAuthChallenge is being sent.
    Respond {
        /// ChallengeName.
        challenge: String,
        /// USERNAME sent (the internal name once Cognito has named it).
        username: String,
        /// Names of the ChallengeResponses sent (values are not shown).
        responses: Vec<String>,
    },
    /// The remembered device was rejected as unknown; it is dropped and the sign-in retried
    /// without it.
    DeviceForgotten {
        /// Its key.
        device_key: String,
    },
    /// Tokens arrived.
    Authenticated {
        /// ExpiresIn.
        expires_in: Duration,
        /// Whether a new refresh token came with them.
        refresh_token: bool,
        /// Whether Cognito created a new device (NewDeviceMetadata).
        new_device: bool,
    },
    /// A device was confirmed (ConfirmDevice) and possibly remembered (UpdateDeviceStatus).
    DeviceConfirmed {
        /// Its key.
        device_key: String,
        /// Whether it was marked remembered.
        remembered: bool,
    },
}
