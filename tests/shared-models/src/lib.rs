//! The full client of every shared AWS model (`../shared/models/`, beside the repository), each
//! behind the cargo feature named like its file, with the model's `smithy.rules#endpointTests` as
//! `#[cfg(test)]` tests. Default features: what CI compiles; `scripts/compile-all-models.sh`
//! builds and tests every feature on its own. A missing model is a compile error naming it.

#![allow(clippy::all, missing_docs, deprecated)]

#[cfg(feature = "cognito-identity-provider")]
pub mod cognito_identity_provider {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/cognito-identity-provider.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "acm")]
pub mod acm {
    awsjson_codegen_macro::generate!("../../../shared/models/aws/acm.json", endpoint_tests = true);
}

#[cfg(feature = "appstream")]
pub mod appstream {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/appstream.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "athena")]
pub mod athena {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/athena.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "b2bi")]
pub mod b2bi {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/b2bi.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "cloudtrail")]
pub mod cloudtrail {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/cloudtrail.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "cloudwatch-events")]
pub mod cloudwatch_events {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/cloudwatch-events.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "cloudwatch-logs")]
pub mod cloudwatch_logs {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/cloudwatch-logs.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "codecommit")]
pub mod codecommit {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/codecommit.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "cognito-identity")]
pub mod cognito_identity {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/cognito-identity.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "database-migration-service")]
pub mod database_migration_service {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/database-migration-service.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "ecr")]
pub mod ecr {
    awsjson_codegen_macro::generate!("../../../shared/models/aws/ecr.json", endpoint_tests = true);
}

#[cfg(feature = "firehose")]
pub mod firehose {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/firehose.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "glue")]
pub mod glue {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/glue.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "kinesis")]
pub mod kinesis {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/kinesis.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "route-53-domains")]
pub mod route_53_domains {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/route-53-domains.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "secrets-manager")]
pub mod secrets_manager {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/secrets-manager.json",
        endpoint_tests = true
    );
}

#[cfg(feature = "sfn")]
pub mod sfn {
    awsjson_codegen_macro::generate!("../../../shared/models/aws/sfn.json", endpoint_tests = true);
}

#[cfg(feature = "sqs")]
pub mod sqs {
    awsjson_codegen_macro::generate!("../../../shared/models/aws/sqs.json", endpoint_tests = true);
}

#[cfg(feature = "ssm")]
pub mod ssm {
    awsjson_codegen_macro::generate!("../../../shared/models/aws/ssm.json", endpoint_tests = true);
}

#[cfg(feature = "timestream-query")]
pub mod timestream_query {
    awsjson_codegen_macro::generate!(
        "../../../shared/models/aws/timestream-query.json",
        endpoint_tests = true
    );
}
