//! User pool groups. Membership is kept on the user (`User::groups`), so tokens read it with
//! the user; the group holds its settings.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub description: Option<String>,
    pub role_arn: Option<String>,
    pub precedence: Option<i64>,
    pub created: i64,
    pub modified: i64,
}

/// Orders groups as tokens list them: lowest precedence first, groups without one last.
pub fn by_precedence(a: &Group, b: &Group) -> std::cmp::Ordering {
    let rank = |g: &Group| (g.precedence.is_none(), g.precedence.unwrap_or(0));
    rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name))
}

/// `cognito:roles` and `cognito:preferred_role` for a user in `groups`: every role ARN, and
/// the role of the group with the lowest precedence, unless groups tied at that precedence
/// have different roles (then none is preferred).
pub fn roles(groups: &[&Group]) -> (Vec<String>, Option<String>) {
    let mut all: Vec<String> = Vec::new();
    for g in groups {
        if let Some(r) = &g.role_arn {
            if !all.contains(r) {
                all.push(r.clone());
            }
        }
    }
    let with_role: Vec<&&Group> = groups.iter().filter(|g| g.role_arn.is_some()).collect();
    let best = with_role.iter().filter_map(|g| g.precedence).min();
    let preferred = match best {
        Some(p) => {
            let tied: Vec<&String> = with_role
                .iter()
                .filter(|g| g.precedence == Some(p))
                .filter_map(|g| g.role_arn.as_ref())
                .collect();
            (tied.iter().all(|r| *r == tied[0])).then(|| tied[0].clone())
        }
        // No group with a role has a precedence: one role alone is still the preferred one.
        None if all.len() == 1 => Some(all[0].clone()),
        None => None,
    };
    (all, preferred)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(name: &str, precedence: Option<i64>, role: Option<&str>) -> Group {
        Group {
            name: name.into(),
            description: None,
            role_arn: role.map(str::to_owned),
            precedence,
            created: 0,
            modified: 0,
        }
    }

    #[test]
    fn precedence_orders_groups_and_picks_the_preferred_role() {
        let (a, b, c) = (
            g("a", Some(5), Some("arn:r5")),
            g("b", Some(1), Some("arn:r1")),
            g("c", None, Some("arn:rn")),
        );
        let mut list = vec![&a, &c, &b];
        list.sort_by(|x, y| by_precedence(x, y));
        assert_eq!(
            list.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
            ["b", "a", "c"]
        );
        let (all, preferred) = roles(&list);
        assert_eq!(all, ["arn:r1", "arn:r5", "arn:rn"]);
        assert_eq!(preferred.as_deref(), Some("arn:r1"));
        // A tie at the lowest precedence with different roles: none preferred.
        let d = g("d", Some(1), Some("arn:other"));
        assert_eq!(roles(&[&b, &d]).1, None);
        // A tie with the same role: that role.
        let e = g("e", Some(1), Some("arn:r1"));
        assert_eq!(roles(&[&b, &e]).1.as_deref(), Some("arn:r1"));
    }
}
