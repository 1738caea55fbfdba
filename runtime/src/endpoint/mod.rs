//! Endpoint resolution: an interpreter for `smithy.rules#endpointRuleSet` (rules engine 1.0),
//! with the standard library (`isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`,
//! `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`, `coalesce`, `ite`, `split`) and the
//! AWS functions (`aws.partition`, `aws.parseArn`, `aws.isVirtualHostableS3Bucket`).

mod bindings;
mod eval;
mod functions;
mod params;
mod partition;
mod resolved;
mod rules;
mod url;
mod value;

use std::fmt;
use std::sync::OnceLock;

pub use bindings::{EndpointBindings, StaticParam};
pub use functions::is_valid_host_label;
pub use params::{ParamValue, Params};
pub use partition::{partition, Partition};
pub use resolved::{Endpoint, EndpointError};
pub(crate) use url::EndpointUrl;

use rules::RuleSet;

/// A rule set's JSON text, parsed once on first use. `const`-constructible for `static`s.
pub struct RuleSetSource {
    json: &'static str,
    parsed: OnceLock<Result<RuleSet, EndpointError>>,
}

impl RuleSetSource {
    /// Wrap the rule set JSON (the value of the `smithy.rules#endpointRuleSet` trait).
    pub const fn new(json: &'static str) -> Self {
        RuleSetSource {
            json,
            parsed: OnceLock::new(),
        }
    }

    /// The JSON text.
    pub fn json(&self) -> &'static str {
        self.json
    }

    pub(crate) fn rule_set(&self) -> Result<&RuleSet, EndpointError> {
        self.parsed
            .get_or_init(|| RuleSet::parse(self.json))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The names of the parameters bound to a built-in (`AWS::Region` → `Region`).
    pub fn builtin_parameters(&self) -> Result<Vec<(String, String)>, EndpointError> {
        Ok(self.rule_set()?.builtins())
    }
}

impl fmt::Debug for RuleSetSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RuleSetSource({} bytes of JSON)", self.json.len())
    }
}

/// Resolve an endpoint from a rule set and parameters.
pub fn resolve(rules: &RuleSetSource, params: &Params) -> Result<Endpoint, EndpointError> {
    eval::resolve(rules.rule_set()?, params)
}
