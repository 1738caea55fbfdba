//! The Cognito model's `smithy.rules#endpointTests`, run through the interpreter: 57/57.

use awsjson_runtime::endpoint::{resolve, Params, RuleSetSource};

const SERVICE_ID: &str = "com.amazonaws.cognitoidentityprovider#AWSCognitoIdentityProviderService";

fn model() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../model/cognito-identity-provider.json"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the project's model {path}: {e}"));
    serde_json::from_str(&text).expect("the model is JSON")
}

#[test]
fn cognito_endpoint_tests_all_pass() {
    let model = model();
    let traits = &model["shapes"][SERVICE_ID]["traits"];
    let rules_json = serde_json::to_string(&traits["smithy.rules#endpointRuleSet"]).unwrap();
    let rules = RuleSetSource::new(Box::leak(rules_json.into_boxed_str()));
    let cases = traits["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .expect("test cases");
    let mut passed = 0;
    let mut failures = Vec::new();
    for case in cases {
        let doc = case["documentation"].as_str().unwrap_or("?");
        let params = Params::from_json(case.get("params").unwrap_or(&serde_json::json!({})))
            .expect("params");
        let got = resolve(&rules, &params);
        let expect = &case["expect"];
        let ok = match (&got, expect.get("endpoint"), expect.get("error")) {
            (Ok(e), Some(want), _) => {
                let mut ok = Some(e.url()) == want["url"].as_str();
                if let Some(props) = want.get("properties").and_then(|p| p.as_object()) {
                    ok &= props.iter().all(|(k, v)| e.properties().get(k) == Some(v));
                }
                if let Some(headers) = want.get("headers").and_then(|h| h.as_object()) {
                    ok &= headers.iter().all(|(k, v)| {
                        serde_json::to_value(e.headers().get(k)).ok().as_ref() == Some(v)
                    });
                }
                ok
            }
            (Err(e), None, Some(msg)) => Some(e.message()) == msg.as_str(),
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!("{doc}: got {got:?}, expected {expect}"));
        }
    }
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
    assert_eq!(cases.len(), 57);
    assert_eq!(passed, 57);
}

#[test]
fn params_set_from_json_values_like_the_generated_test() {
    let model = model();
    let traits = &model["shapes"][SERVICE_ID]["traits"];
    let rules_json = serde_json::to_string(&traits["smithy.rules#endpointRuleSet"]).unwrap();
    let rules = RuleSetSource::new(Box::leak(rules_json.into_boxed_str()));
    let mut p = Params::new();
    let values: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(r#"{"Region":"us-gov-east-1","UseFIPS":true,"UseDualStack":true}"#)
            .unwrap();
    for (name, value) in values {
        p.set(&name, value);
    }
    assert_eq!(
        resolve(&rules, &p).unwrap().url(),
        "https://cognito-idp-fips.us-gov-east-1.api.aws"
    );
    let err = resolve(&rules, &Params::new()).unwrap_err();
    assert_eq!(err.to_string(), "Invalid Configuration: Missing Region");
}
