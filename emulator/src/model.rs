//! The user-pool API's shapes as `cognito-idp` generates them from the Smithy model: every
//! operation's input and output and the types they reach. Each operation decodes its request
//! into its generated input and answers with its generated output, so the emulator's shapes
//! are the model's and cannot drift from it.
//!
//! This is the one place that says where the generated types live: if the generated crate
//! moves them (inputs and outputs into modules of their own, say), the change is made here.

pub use cognito_idp::runtime::{
    BuildError, DateTime, Document, Validate, ValidationProblem, Validator,
};
pub use cognito_idp::types::*;

/// A string enum of the model: the wire value, and whether the model knows it (the generated
/// enums keep values they do not know, as clients must; a service refuses them).
pub trait ModelEnum {
    fn wire(&self) -> &str;
    fn is_known(&self) -> bool;
    fn known_values() -> &'static [&'static str];
}

macro_rules! model_enums {
    ($($name:ident),* $(,)?) => {
        $(impl ModelEnum for $name {
            fn wire(&self) -> &str {
                self.as_str()
            }
            fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
            fn known_values() -> &'static [&'static str] {
                $name::values()
            }
        })*
    };
}

model_enums!(
    AccountTakeoverEventActionType,
    AdvancedSecurityEnabledModeType,
    AdvancedSecurityModeType,
    AliasAttributeType,
    AssetCategoryType,
    AssetExtensionType,
    AttributeDataType,
    AuthFactorType,
    AuthFlowType,
    ChallengeName,
    ChallengeNameType,
    ChallengeResponse,
    ColorSchemeModeType,
    CompromisedCredentialsEventActionType,
    CustomEmailSenderLambdaVersionType,
    CustomSmsSenderLambdaVersionType,
    DefaultEmailOptionType,
    DeletionProtectionType,
    DeliveryMediumType,
    DeviceRememberedStatusType,
    DomainStatusType,
    EmailSendingAccountType,
    EventFilterType,
    EventResponseType,
    EventSourceName,
    EventType,
    ExplicitAuthFlowsType,
    FeatureType,
    FeedbackValueType,
    IdentityProviderTypeType,
    InboundFederationLambdaVersionType,
    LogLevel,
    MessageActionType,
    OAuthFlowType,
    PreTokenGenerationLambdaVersionType,
    PreventUserExistenceErrorTypes,
    RecoveryOptionNameType,
    RiskDecisionType,
    RiskLevelType,
    StatusType,
    TermsEnforcementType,
    TermsSourceType,
    TimeUnitsType,
    UserImportJobStatusType,
    UserPoolMfaType,
    UserPoolTierType,
    UserStatusType,
    UserVerificationType,
    UsernameAttributeType,
    VerifiedAttributeType,
    VerifySoftwareTokenResponseType,
);
