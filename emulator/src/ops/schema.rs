//! A pool's schema: the standard (OpenID Connect) attributes, with what CreateUserPool's
//! `Schema` changed about them, and the custom attributes (`custom:NAME`) it and
//! AddCustomAttributes add. User attributes are written only as the schema allows.

use crate::error::{ApiError, ApiResult};
use crate::model as m;
use crate::store::Pool;

/// Custom attributes a pool can have.
const MAX_CUSTOM: usize = 50;

/// (name, data type, mutable, min length, max length) of the standard attributes.
const STANDARD: &[(&str, &str, bool, &str, &str)] = &[
    ("sub", "String", false, "1", "2048"),
    ("name", "String", true, "0", "2048"),
    ("given_name", "String", true, "0", "2048"),
    ("family_name", "String", true, "0", "2048"),
    ("middle_name", "String", true, "0", "2048"),
    ("nickname", "String", true, "0", "2048"),
    ("preferred_username", "String", true, "0", "2048"),
    ("profile", "String", true, "0", "2048"),
    ("picture", "String", true, "0", "2048"),
    ("website", "String", true, "0", "2048"),
    ("email", "String", true, "0", "2048"),
    ("email_verified", "Boolean", true, "", ""),
    ("gender", "String", true, "0", "2048"),
    ("birthdate", "String", true, "10", "10"),
    ("zoneinfo", "String", true, "0", "2048"),
    ("locale", "String", true, "0", "2048"),
    ("phone_number", "String", true, "0", "2048"),
    ("phone_number_verified", "Boolean", true, "", ""),
    ("address", "String", true, "0", "2048"),
    ("updated_at", "Number", true, "", ""),
    ("identities", "String", true, "0", "2048"),
];

fn is_standard(name: &str) -> bool {
    STANDARD.iter().any(|(n, ..)| *n == name)
}

fn standard(
    name: &str,
    data_type: &str,
    mutable: bool,
    min: &str,
    max: &str,
) -> m::SchemaAttributeType {
    m::SchemaAttributeType {
        name: Some(name.to_owned()),
        attribute_data_type: Some(m::AttributeDataType::from(data_type)),
        developer_only_attribute: Some(false),
        mutable: Some(mutable),
        required: Some(name == "sub"),
        number_attribute_constraints: (data_type == "Number").then(|| {
            m::NumberAttributeConstraintsType {
                min_value: Some("0".to_owned()),
                max_value: None,
            }
        }),
        string_attribute_constraints: (data_type == "String").then(|| {
            m::StringAttributeConstraintsType {
                min_length: Some(min.to_owned()),
                max_length: Some(max.to_owned()),
            }
        }),
    }
}

fn invalid(why: String) -> ApiError {
    ApiError::invalid_parameter(why)
}

/// The `Schema` member of CreateUserPool: overrides of standard attributes (kept by their
/// name) and custom attributes (kept as `custom:NAME`).
pub(crate) fn from_request(
    items: Vec<m::SchemaAttributeType>,
) -> ApiResult<Vec<m::SchemaAttributeType>> {
    let mut out: Vec<m::SchemaAttributeType> = Vec::new();
    let mut custom = Vec::new();
    for item in items {
        let name = item
            .name
            .clone()
            .ok_or_else(|| invalid("Schema attributes must have a name.".into()))?;
        if out.iter().any(|a| a.name.as_deref() == Some(name.as_str())) {
            return Err(invalid(format!("Duplicate schema attribute: {name}")));
        }
        if is_standard(&name) {
            if name == "sub" {
                return Err(invalid("The sub attribute cannot be changed.".into()));
            }
            if let Some(t) = &item.attribute_data_type {
                super::checks::known("schema.member.attributeDataType", t)?;
                let expected = STANDARD.iter().find(|(n, ..)| *n == name).map(|s| s.1);
                if Some(t.as_str()) != expected {
                    return Err(invalid(format!(
                        "The data type of the standard attribute {name} cannot be changed."
                    )));
                }
            }
            out.push(item);
        } else {
            custom.push(item);
        }
    }
    out.extend(custom_from_request(&out, custom)?);
    Ok(out)
}

/// Custom attributes to add to a schema that has `existing`.
pub(crate) fn custom_from_request(
    existing: &[m::SchemaAttributeType],
    items: Vec<m::SchemaAttributeType>,
) -> ApiResult<Vec<m::SchemaAttributeType>> {
    let count = existing
        .iter()
        .filter(|a| a.name.as_deref().is_some_and(|n| n.starts_with("custom:")))
        .count();
    if count + items.len() > MAX_CUSTOM {
        return Err(invalid(format!(
            "A user pool can have at most {MAX_CUSTOM} custom attributes."
        )));
    }
    let mut added: Vec<m::SchemaAttributeType> = Vec::new();
    for mut item in items {
        let bare = item
            .name
            .clone()
            .ok_or_else(|| invalid("Custom attributes must have a name.".into()))?;
        let bare = bare.strip_prefix("custom:").unwrap_or(&bare).to_owned();
        let name = format!("custom:{bare}");
        if existing
            .iter()
            .chain(added.iter())
            .any(|a| a.name.as_deref() == Some(name.as_str()))
        {
            return Err(invalid(format!(
                "Existing attribute already has name {name}."
            )));
        }
        if item.required == Some(true) {
            return Err(invalid(
                "Required custom attributes are not supported currently.".into(),
            ));
        }
        let data_type = item
            .attribute_data_type
            .clone()
            .unwrap_or(m::AttributeDataType::String);
        super::checks::known("customAttributes.member.attributeDataType", &data_type)?;
        if data_type == m::AttributeDataType::String {
            let c = item.string_attribute_constraints.get_or_insert(
                m::StringAttributeConstraintsType {
                    min_length: None,
                    max_length: None,
                },
            );
            let min = number(c.min_length.as_deref(), "MinLength")?.unwrap_or(0);
            let max = number(c.max_length.as_deref(), "MaxLength")?.unwrap_or(2048);
            if min > max || max > 2048 {
                return Err(invalid(format!(
                    "Invalid string constraints for {name}: MinLength {min}, MaxLength {max}"
                )));
            }
            c.min_length = Some(min.to_string());
            c.max_length = Some(max.to_string());
        }
        if data_type == m::AttributeDataType::Number {
            if let Some(c) = &item.number_attribute_constraints {
                let min = number(c.min_value.as_deref(), "MinValue")?;
                let max = number(c.max_value.as_deref(), "MaxValue")?;
                if let (Some(a), Some(b)) = (min, max) {
                    if a > b {
                        return Err(invalid(format!(
                            "Invalid number constraints for {name}: MinValue {a}, MaxValue {b}"
                        )));
                    }
                }
            }
        }
        item.name = Some(name);
        item.attribute_data_type = Some(data_type);
        item.developer_only_attribute.get_or_insert(false);
        item.mutable.get_or_insert(true);
        item.required = Some(false);
        added.push(item);
    }
    Ok(added)
}

fn number(text: Option<&str>, what: &str) -> ApiResult<Option<i64>> {
    match text {
        None => Ok(None),
        Some(t) => t
            .parse::<i64>()
            .map(Some)
            .map_err(|_| invalid(format!("{what} must be a whole number, not {t:?}"))),
    }
}

/// Every attribute of the pool's schema, standard ones first.
pub(crate) fn attributes(pool: &Pool) -> Vec<m::SchemaAttributeType> {
    let schema = &pool.config.schema;
    let mut out: Vec<m::SchemaAttributeType> = STANDARD
        .iter()
        .map(|(n, t, mutable, min, max)| {
            let mut a = standard(n, t, *mutable, min, max);
            if let Some(o) = schema.iter().find(|o| o.name.as_deref() == Some(*n)) {
                if o.required.is_some() {
                    a.required = o.required;
                }
                if o.mutable.is_some() {
                    a.mutable = o.mutable;
                }
                if o.string_attribute_constraints.is_some() && *t == "String" {
                    a.string_attribute_constraints = o.string_attribute_constraints.clone();
                }
            }
            if pool.required_attributes.iter().any(|r| r == n) {
                a.required = Some(true);
            }
            a
        })
        .collect();
    out.extend(
        schema
            .iter()
            .filter(|a| a.name.as_deref().is_some_and(|n| n.starts_with("custom:")))
            .cloned(),
    );
    out
}

/// The standard attributes a schema makes required.
pub(crate) fn required(schema: &[m::SchemaAttributeType]) -> Vec<String> {
    schema
        .iter()
        .filter(|a| a.required == Some(true))
        .filter_map(|a| a.name.clone())
        .collect()
}

/// How a write is made: creating the user (immutable attributes may be set), by an
/// administrator (developer-only attributes may be set), or by the user.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    Create,
    Admin,
    User,
}

/// The schema's entry for an attribute a write names, if the write may name it.
fn writable<'s>(
    schema: &'s [m::SchemaAttributeType],
    name: &str,
    how: Write,
) -> ApiResult<&'s m::SchemaAttributeType> {
    let lookup = name.strip_prefix("dev:").unwrap_or(name);
    let Some(a) = schema.iter().find(|a| a.name.as_deref() == Some(lookup)) else {
        return Err(invalid(format!(
            "Attributes did not conform to the schema: Type for attribute {{{name}}} could not be determined"
        )));
    };
    if name == "sub" || (a.mutable == Some(false) && how != Write::Create) {
        return Err(invalid(format!(
            "Cannot modify an attribute that is not mutable: {name}"
        )));
    }
    if a.developer_only_attribute == Some(true) && how == Write::User {
        return Err(invalid(format!(
            "A client cannot write the developer-only attribute {name}"
        )));
    }
    Ok(a)
}

/// Checks that attributes may be removed.
pub(crate) fn check_delete(pool: &Pool, names: &[String], how: Write) -> ApiResult<()> {
    let schema = attributes(pool);
    for n in names {
        if pool.required_attributes.contains(n) {
            return Err(invalid(format!("Cannot delete the required attribute {n}")));
        }
        writable(&schema, n, how)?;
    }
    Ok(())
}

/// Checks attribute writes against the schema.
pub(crate) fn check_write(
    pool: &Pool,
    attributes: &[(String, String)],
    how: Write,
) -> ApiResult<()> {
    let schema = self::attributes(pool);
    for (name, value) in attributes {
        let conform = |why: &str| {
            invalid(format!(
                "Attributes did not conform to the schema: {name}: {why}"
            ))
        };
        let a = writable(&schema, name, how)?;
        match a.attribute_data_type.as_ref().map(|t| t.as_str()) {
            Some("Boolean") if value != "true" && value != "false" => {
                return Err(conform("must be true or false"))
            }
            Some("Number") => {
                let n: f64 = value.parse().map_err(|_| conform("must be a number"))?;
                if let Some(c) = &a.number_attribute_constraints {
                    let min = c.min_value.as_deref().and_then(|v| v.parse::<f64>().ok());
                    let max = c.max_value.as_deref().and_then(|v| v.parse::<f64>().ok());
                    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                        return Err(conform("the number is out of range"));
                    }
                }
            }
            _ => {
                if let Some(c) = &a.string_attribute_constraints {
                    let len = value.chars().count() as u64;
                    let max = c.max_length.as_deref().and_then(|v| v.parse::<u64>().ok());
                    let min = c.min_length.as_deref().and_then(|v| v.parse::<u64>().ok());
                    if max.is_some_and(|m| len > m) {
                        return Err(conform("String is too long"));
                    }
                    if min.is_some_and(|m| len < m) && !value.is_empty() {
                        return Err(conform("String is too short"));
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(name: &str) -> m::SchemaAttributeType {
        m::SchemaAttributeType {
            name: Some(name.to_owned()),
            attribute_data_type: None,
            developer_only_attribute: None,
            mutable: None,
            required: None,
            number_attribute_constraints: None,
            string_attribute_constraints: None,
        }
    }

    #[test]
    fn custom_attributes_get_their_prefix_and_cannot_repeat_or_be_required() {
        let added = custom_from_request(&[], vec![attr("tier")]).unwrap();
        assert_eq!(added[0].name.as_deref(), Some("custom:tier"));
        assert!(custom_from_request(&added, vec![attr("custom:tier")]).is_err());
        let mut r = attr("x");
        r.required = Some(true);
        assert!(custom_from_request(&[], vec![r]).is_err());
        let schema = from_request(vec![attr("email"), attr("plan")]).unwrap();
        assert_eq!(schema.len(), 2);
        assert_eq!(schema[1].name.as_deref(), Some("custom:plan"));
    }
}
