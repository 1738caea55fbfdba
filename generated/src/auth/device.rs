//! A remembered device: what the caller persists after ConfirmDevice and hands back to later
//! sign-ins (DEVICE_SRP_AUTH) and refreshes (DEVICE_KEY).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::secret::Secret;

/// Everything needed to sign in as a remembered device. Store it (for example as JSON with
/// serde) somewhere only this user can read: the device password is a credential. `Debug`
/// redacts it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RememberedDevice {
    /// DeviceKey (`<region>_<uuid>`).
    pub device_key: String,
    /// DeviceGroupKey: the SRP realm of device sign-in.
    pub device_group_key: String,
    /// The random password generated for this device at ConfirmDevice.
    pub device_password: Secret,
}

impl fmt::Debug for RememberedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberedDevice")
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .field("device_password", &self.device_password)
            .finish()
    }
}

/// How to confirm a new device.
#[derive(Clone, Debug, Default)]
pub struct DeviceOptions {
    /// DeviceName shown in the user's device list (e.g. the host name).
    pub name: Option<String>,
    /// Mark the device `remembered` (UpdateDeviceStatus). When false it stays
    /// `not_remembered`: tracked, but it does not skip MFA.
    pub remember: bool,
}

impl DeviceOptions {
    /// Confirm and remember, with a name.
    pub fn remember(name: impl Into<String>) -> Self {
        DeviceOptions {
            name: Some(name.into()),
            remember: true,
        }
    }
}

/// The outcome of [`Authenticator::confirm_device`](super::Authenticator::confirm_device).
#[derive(Clone, Debug)]
pub struct ConfirmedDevice {
    /// What to persist.
    pub device: RememberedDevice,
    /// Cognito's `UserConfirmationNecessary`: the pool lets the user decide whether to remember
    /// devices ("user opt-in").
    pub user_confirmation_necessary: bool,
    /// Whether UpdateDeviceStatus marked it remembered.
    pub remembered: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_and_serde_keeps_the_password() {
        let d = RememberedDevice {
            device_key: "us-east-1_abc".into(),
            device_group_key: "-grp".into(),
            device_password: Secret::new("p4ss"),
        };
        let dbg = format!("{d:?}");
        assert!(
            dbg.contains("us-east-1_abc") && !dbg.contains("p4ss"),
            "{dbg}"
        );
        let json = serde_json::to_string(&d).unwrap();
        let back: RememberedDevice = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
    }
}
