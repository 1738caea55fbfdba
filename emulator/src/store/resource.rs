//! What a pool holds besides clients, users and groups: identity providers, terms, managed
//! login brandings, user import jobs, UI customizations, risk configurations and the log
//! delivery configuration, kept in the model's shapes. One map per pool, keyed `kind/name`, so
//! one table of the state directory holds them all.

use serde::{Deserialize, Serialize};

use crate::model as m;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Resource {
    IdentityProvider(m::IdentityProviderType),
    Terms(m::TermsType),
    Branding(Branding),
    ImportJob(ImportJob),
    UiCustomization(UiCustomization),
    /// Boxed: by far the largest resource.
    RiskConfiguration(Box<m::RiskConfigurationType>),
    LogDelivery(m::LogDeliveryConfigurationType),
}

/// A user import job, and the CSV uploaded to its pre-signed URL.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportJob {
    pub job: m::UserImportJobType,
    #[serde(default)]
    pub csv: Option<String>,
}

/// A managed login branding: the app client it styles, and the branding.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Branding {
    pub client_id: String,
    pub branding: m::ManagedLoginBrandingType,
}

/// The classic hosted UI's customization of a pool (client `ALL`) or an app client: its CSS
/// and logo.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UiCustomization {
    pub customization: m::UiCustomizationType,
    /// The logo, base64.
    pub image: Option<String>,
}

/// The map key of a resource: `kind/name`.
pub fn key(kind: &str, name: &str) -> String {
    format!("{kind}/{name}")
}

pub const IDENTITY_PROVIDER: &str = "idp";
pub const TERMS: &str = "terms";
pub const BRANDING: &str = "branding";
pub const IMPORT_JOB: &str = "import";
pub const UI_CUSTOMIZATION: &str = "ui";
pub const RISK_CONFIGURATION: &str = "risk";
pub const LOG_DELIVERY: &str = "log";
