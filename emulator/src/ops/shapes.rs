//! How the store's entities look in the model's shapes: users, attributes, groups, devices,
//! code delivery details, dates.

use crate::model as m;
use crate::store::{Device, Group, User, UserStatus};

pub(crate) fn date(secs: i64) -> m::DateTime {
    m::DateTime::from_secs(secs)
}

/// A user's attributes as the API lists them: `sub` first, then by name.
pub(crate) fn attributes(user: &User) -> Vec<m::AttributeType> {
    std::iter::once(("sub", user.sub.as_str()))
        .chain(
            user.attributes
                .iter()
                .filter(|(k, _)| k.as_str() != "sub")
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .chain(
            user.identities_attribute()
                .as_deref()
                .map(|v| ("identities", v))
                .into_iter()
                .filter(|_| !user.attributes.contains_key("identities")),
        )
        .map(|(k, v)| m::AttributeType {
            name: k.to_owned(),
            value: Some(v.to_owned()),
        })
        .collect()
}

pub(crate) fn user_status(status: UserStatus) -> m::UserStatusType {
    m::UserStatusType::from(status.as_str())
}

/// The legacy MFAOptions (SMS to the phone number) of users who set them.
pub(crate) fn mfa_options(user: &User) -> Option<Vec<m::MfaOptionType>> {
    user.mfa.sms_option.then(|| {
        vec![m::MfaOptionType {
            delivery_medium: Some(m::DeliveryMediumType::Sms),
            attribute_name: Some("phone_number".to_owned()),
        }]
    })
}

pub(crate) fn user_type(user: &User) -> m::UserType {
    m::UserType {
        username: Some(user.username.clone()),
        attributes: Some(attributes(user)),
        user_create_date: Some(date(user.created)),
        user_last_modified_date: Some(date(user.modified)),
        enabled: Some(user.enabled),
        user_status: Some(user_status(user.status)),
        mfa_options: mfa_options(user),
    }
}

pub(crate) fn group_type(pool_id: &str, g: &Group) -> m::GroupType {
    m::GroupType {
        group_name: Some(g.name.clone()),
        user_pool_id: Some(pool_id.to_owned()),
        description: g.description.clone(),
        role_arn: g.role_arn.clone(),
        precedence: g.precedence.map(|p| p as i32),
        last_modified_date: Some(date(g.modified)),
        creation_date: Some(date(g.created)),
    }
}

pub(crate) fn device_type(d: &Device) -> m::DeviceType {
    let mut attributes = Vec::new();
    if let Some(name) = &d.name {
        attributes.push(m::AttributeType {
            name: "device_name".to_owned(),
            value: Some(name.clone()),
        });
    }
    let status = match d.remembered {
        Some(true) => "remembered",
        _ => "not_remembered",
    };
    attributes.push(m::AttributeType {
        name: "device_status".to_owned(),
        value: Some(
            if d.verifier.is_some() {
                "valid"
            } else {
                "unconfirmed"
            }
            .to_owned(),
        ),
    });
    attributes.push(m::AttributeType {
        name: "dev:device_remembered_status".to_owned(),
        value: Some(status.to_owned()),
    });
    m::DeviceType {
        device_key: Some(d.key.clone()),
        device_attributes: Some(attributes),
        device_create_date: Some(date(d.created())),
        device_last_modified_date: Some(date(d.modified.max(d.created()))),
        device_last_authenticated_date: Some(date(d.last_authenticated)),
    }
}

/// Where a code went: the masked destination, the medium and the attribute.
pub(crate) fn delivery(attribute: &str, destination: &str) -> m::CodeDeliveryDetailsType {
    let (medium, masked) = if attribute == "phone_number" {
        (m::DeliveryMediumType::Sms, mask_phone(destination))
    } else {
        (m::DeliveryMediumType::Email, mask_email(destination))
    };
    m::CodeDeliveryDetailsType {
        destination: Some(masked),
        delivery_medium: Some(medium),
        attribute_name: Some(attribute.to_owned()),
    }
}

/// `[{Name, Value}]` as (name, value) pairs; a missing Value is the empty string.
pub(crate) fn pairs(list: Option<Vec<m::AttributeType>>) -> Vec<(String, String)> {
    list.unwrap_or_default()
        .into_iter()
        .map(|a| (a.name, a.value.unwrap_or_default()))
        .collect()
}

/// A string map as the sorted map the triggers and sessions keep.
pub(crate) fn sorted(
    map: Option<std::collections::HashMap<String, String>>,
) -> std::collections::BTreeMap<String, String> {
    map.unwrap_or_default().into_iter().collect()
}

/// An email address as Cognito shows it as a code's destination (`a***@e***`).
pub(crate) fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!(
            "{}***@{}***",
            local.chars().next().unwrap_or('*'),
            domain.chars().next().unwrap_or('*')
        ),
        None => "***".into(),
    }
}

/// A phone number as Cognito shows it as a code's destination (`+*******1234`).
pub(crate) fn mask_phone(phone: &str) -> String {
    let tail: String = phone
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("+*******{tail}")
}
