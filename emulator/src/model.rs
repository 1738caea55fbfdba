//! The user-pool API's shapes as `cognito-idp` generates them from the Smithy model: every
//! operation's input and output and the types they reach. Each operation decodes its request
//! into its generated input and answers with its generated output, so the emulator's shapes
//! are the model's and cannot drift from it.
//!
//! This is the one place that says where the generated types live: the shapes in
//! `cognito_idp::types`, each operation's input and output in `cognito_idp::operation::<op>`
//! (aws-sdk-rust's layout); the handlers name them all as `model::X`.

pub use cognito_idp::runtime::{
    BuildError, DateTime, Document, Validate, ValidationProblem, Validator,
};
pub use cognito_idp::types::*;

/// The input and output of every operation the emulator serves (a test in `ops` checks each
/// handler takes its own).
pub use cognito_idp::operation::{
    add_custom_attributes::{AddCustomAttributesInput, AddCustomAttributesOutput},
    add_user_pool_client_secret::{AddUserPoolClientSecretInput, AddUserPoolClientSecretOutput},
    admin_add_user_to_group::{AdminAddUserToGroupInput, AdminAddUserToGroupOutput},
    admin_confirm_sign_up::{AdminConfirmSignUpInput, AdminConfirmSignUpOutput},
    admin_create_user::{AdminCreateUserInput, AdminCreateUserOutput},
    admin_delete_user::{AdminDeleteUserInput, AdminDeleteUserOutput},
    admin_delete_user_attributes::{
        AdminDeleteUserAttributesInput, AdminDeleteUserAttributesOutput,
    },
    admin_disable_provider_for_user::{
        AdminDisableProviderForUserInput, AdminDisableProviderForUserOutput,
    },
    admin_disable_user::{AdminDisableUserInput, AdminDisableUserOutput},
    admin_enable_user::{AdminEnableUserInput, AdminEnableUserOutput},
    admin_forget_device::{AdminForgetDeviceInput, AdminForgetDeviceOutput},
    admin_get_device::{AdminGetDeviceInput, AdminGetDeviceOutput},
    admin_get_user::{AdminGetUserInput, AdminGetUserOutput},
    admin_initiate_auth::{AdminInitiateAuthInput, AdminInitiateAuthOutput},
    admin_link_provider_for_user::{AdminLinkProviderForUserInput, AdminLinkProviderForUserOutput},
    admin_list_devices::{AdminListDevicesInput, AdminListDevicesOutput},
    admin_list_groups_for_user::{AdminListGroupsForUserInput, AdminListGroupsForUserOutput},
    admin_list_user_auth_events::{AdminListUserAuthEventsInput, AdminListUserAuthEventsOutput},
    admin_remove_user_from_group::{AdminRemoveUserFromGroupInput, AdminRemoveUserFromGroupOutput},
    admin_reset_user_password::{AdminResetUserPasswordInput, AdminResetUserPasswordOutput},
    admin_respond_to_auth_challenge::{
        AdminRespondToAuthChallengeInput, AdminRespondToAuthChallengeOutput,
    },
    admin_set_user_mfa_preference::{
        AdminSetUserMfaPreferenceInput, AdminSetUserMfaPreferenceOutput,
    },
    admin_set_user_password::{AdminSetUserPasswordInput, AdminSetUserPasswordOutput},
    admin_set_user_settings::{AdminSetUserSettingsInput, AdminSetUserSettingsOutput},
    admin_update_auth_event_feedback::{
        AdminUpdateAuthEventFeedbackInput, AdminUpdateAuthEventFeedbackOutput,
    },
    admin_update_device_status::{AdminUpdateDeviceStatusInput, AdminUpdateDeviceStatusOutput},
    admin_update_user_attributes::{
        AdminUpdateUserAttributesInput, AdminUpdateUserAttributesOutput,
    },
    admin_user_global_sign_out::{AdminUserGlobalSignOutInput, AdminUserGlobalSignOutOutput},
    associate_software_token::{AssociateSoftwareTokenInput, AssociateSoftwareTokenOutput},
    change_password::{ChangePasswordInput, ChangePasswordOutput},
    confirm_device::{ConfirmDeviceInput, ConfirmDeviceOutput},
    confirm_forgot_password::{ConfirmForgotPasswordInput, ConfirmForgotPasswordOutput},
    confirm_sign_up::{ConfirmSignUpInput, ConfirmSignUpOutput},
    create_group::{CreateGroupInput, CreateGroupOutput},
    create_identity_provider::{CreateIdentityProviderInput, CreateIdentityProviderOutput},
    create_managed_login_branding::{
        CreateManagedLoginBrandingInput, CreateManagedLoginBrandingOutput,
    },
    create_resource_server::{CreateResourceServerInput, CreateResourceServerOutput},
    create_terms::{CreateTermsInput, CreateTermsOutput},
    create_user_import_job::{CreateUserImportJobInput, CreateUserImportJobOutput},
    create_user_pool::{CreateUserPoolInput, CreateUserPoolOutput},
    create_user_pool_client::{CreateUserPoolClientInput, CreateUserPoolClientOutput},
    create_user_pool_domain::{CreateUserPoolDomainInput, CreateUserPoolDomainOutput},
    delete_group::{DeleteGroupInput, DeleteGroupOutput},
    delete_identity_provider::{DeleteIdentityProviderInput, DeleteIdentityProviderOutput},
    delete_managed_login_branding::{
        DeleteManagedLoginBrandingInput, DeleteManagedLoginBrandingOutput,
    },
    delete_resource_server::{DeleteResourceServerInput, DeleteResourceServerOutput},
    delete_terms::{DeleteTermsInput, DeleteTermsOutput},
    delete_user::{DeleteUserInput, DeleteUserOutput},
    delete_user_attributes::{DeleteUserAttributesInput, DeleteUserAttributesOutput},
    delete_user_pool::{DeleteUserPoolInput, DeleteUserPoolOutput},
    delete_user_pool_client::{DeleteUserPoolClientInput, DeleteUserPoolClientOutput},
    delete_user_pool_client_secret::{
        DeleteUserPoolClientSecretInput, DeleteUserPoolClientSecretOutput,
    },
    delete_user_pool_domain::{DeleteUserPoolDomainInput, DeleteUserPoolDomainOutput},
    describe_identity_provider::{DescribeIdentityProviderInput, DescribeIdentityProviderOutput},
    describe_managed_login_branding::{
        DescribeManagedLoginBrandingInput, DescribeManagedLoginBrandingOutput,
    },
    describe_managed_login_branding_by_client::{
        DescribeManagedLoginBrandingByClientInput, DescribeManagedLoginBrandingByClientOutput,
    },
    describe_resource_server::{DescribeResourceServerInput, DescribeResourceServerOutput},
    describe_risk_configuration::{
        DescribeRiskConfigurationInput, DescribeRiskConfigurationOutput,
    },
    describe_terms::{DescribeTermsInput, DescribeTermsOutput},
    describe_user_import_job::{DescribeUserImportJobInput, DescribeUserImportJobOutput},
    describe_user_pool::{DescribeUserPoolInput, DescribeUserPoolOutput},
    describe_user_pool_client::{DescribeUserPoolClientInput, DescribeUserPoolClientOutput},
    describe_user_pool_domain::{DescribeUserPoolDomainInput, DescribeUserPoolDomainOutput},
    forget_device::{ForgetDeviceInput, ForgetDeviceOutput},
    forgot_password::{ForgotPasswordInput, ForgotPasswordOutput},
    get_csv_header::{GetCsvHeaderInput, GetCsvHeaderOutput},
    get_device::{GetDeviceInput, GetDeviceOutput},
    get_group::{GetGroupInput, GetGroupOutput},
    get_identity_provider_by_identifier::{
        GetIdentityProviderByIdentifierInput, GetIdentityProviderByIdentifierOutput,
    },
    get_log_delivery_configuration::{
        GetLogDeliveryConfigurationInput, GetLogDeliveryConfigurationOutput,
    },
    get_signing_certificate::{GetSigningCertificateInput, GetSigningCertificateOutput},
    get_tokens_from_refresh_token::{
        GetTokensFromRefreshTokenInput, GetTokensFromRefreshTokenOutput,
    },
    get_ui_customization::{GetUiCustomizationInput, GetUiCustomizationOutput},
    get_user::{GetUserInput, GetUserOutput},
    get_user_attribute_verification_code::{
        GetUserAttributeVerificationCodeInput, GetUserAttributeVerificationCodeOutput,
    },
    get_user_auth_factors::{GetUserAuthFactorsInput, GetUserAuthFactorsOutput},
    get_user_pool_mfa_config::{GetUserPoolMfaConfigInput, GetUserPoolMfaConfigOutput},
    global_sign_out::{GlobalSignOutInput, GlobalSignOutOutput},
    initiate_auth::{InitiateAuthInput, InitiateAuthOutput},
    list_devices::{ListDevicesInput, ListDevicesOutput},
    list_groups::{ListGroupsInput, ListGroupsOutput},
    list_identity_providers::{ListIdentityProvidersInput, ListIdentityProvidersOutput},
    list_resource_servers::{ListResourceServersInput, ListResourceServersOutput},
    list_tags_for_resource::{ListTagsForResourceInput, ListTagsForResourceOutput},
    list_terms::{ListTermsInput, ListTermsOutput},
    list_user_import_jobs::{ListUserImportJobsInput, ListUserImportJobsOutput},
    list_user_pool_client_secrets::{
        ListUserPoolClientSecretsInput, ListUserPoolClientSecretsOutput,
    },
    list_user_pool_clients::{ListUserPoolClientsInput, ListUserPoolClientsOutput},
    list_user_pools::{ListUserPoolsInput, ListUserPoolsOutput},
    list_users::{ListUsersInput, ListUsersOutput},
    list_users_in_group::{ListUsersInGroupInput, ListUsersInGroupOutput},
    resend_confirmation_code::{ResendConfirmationCodeInput, ResendConfirmationCodeOutput},
    respond_to_auth_challenge::{RespondToAuthChallengeInput, RespondToAuthChallengeOutput},
    revoke_token::{RevokeTokenInput, RevokeTokenOutput},
    set_log_delivery_configuration::{
        SetLogDeliveryConfigurationInput, SetLogDeliveryConfigurationOutput,
    },
    set_risk_configuration::{SetRiskConfigurationInput, SetRiskConfigurationOutput},
    set_ui_customization::{SetUiCustomizationInput, SetUiCustomizationOutput},
    set_user_mfa_preference::{SetUserMfaPreferenceInput, SetUserMfaPreferenceOutput},
    set_user_pool_mfa_config::{SetUserPoolMfaConfigInput, SetUserPoolMfaConfigOutput},
    set_user_settings::{SetUserSettingsInput, SetUserSettingsOutput},
    sign_up::{SignUpInput, SignUpOutput},
    start_user_import_job::{StartUserImportJobInput, StartUserImportJobOutput},
    stop_user_import_job::{StopUserImportJobInput, StopUserImportJobOutput},
    tag_resource::{TagResourceInput, TagResourceOutput},
    untag_resource::{UntagResourceInput, UntagResourceOutput},
    update_auth_event_feedback::{UpdateAuthEventFeedbackInput, UpdateAuthEventFeedbackOutput},
    update_device_status::{UpdateDeviceStatusInput, UpdateDeviceStatusOutput},
    update_group::{UpdateGroupInput, UpdateGroupOutput},
    update_identity_provider::{UpdateIdentityProviderInput, UpdateIdentityProviderOutput},
    update_managed_login_branding::{
        UpdateManagedLoginBrandingInput, UpdateManagedLoginBrandingOutput,
    },
    update_resource_server::{UpdateResourceServerInput, UpdateResourceServerOutput},
    update_terms::{UpdateTermsInput, UpdateTermsOutput},
    update_user_attributes::{UpdateUserAttributesInput, UpdateUserAttributesOutput},
    update_user_pool::{UpdateUserPoolInput, UpdateUserPoolOutput},
    update_user_pool_client::{UpdateUserPoolClientInput, UpdateUserPoolClientOutput},
    update_user_pool_domain::{UpdateUserPoolDomainInput, UpdateUserPoolDomainOutput},
    verify_software_token::{VerifySoftwareTokenInput, VerifySoftwareTokenOutput},
    verify_user_attribute::{VerifyUserAttributeInput, VerifyUserAttributeOutput},
};

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
