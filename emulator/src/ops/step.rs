//! Where a sign-in stands after a call ([`Step`]), and the sign-in operations' outputs built
//! from it ([`step_output!`]): what `flow`, `issue`, `srp` and the sign-in operations share.

use std::collections::BTreeMap;

use crate::model as m;

/// Where a sign-in stands after a call.
pub(crate) enum Step {
    /// A challenge to answer, in the session named.
    Challenge {
        name: String,
        session: String,
        parameters: BTreeMap<String, String>,
        /// USER_AUTH's SELECT_CHALLENGE: the first factors the user may choose.
        available: Option<Vec<String>>,
    },
    /// Tokens granted: the ID and access tokens are signed into the answer once the
    /// operation has released the store lock (see `issue::sign_and_record`).
    Tokens(m::AuthenticationResultType),
    /// The managed login pages signed the user in (their tokens come from the token endpoint).
    HostedSignedIn,
}

/// The sign-in outputs (InitiateAuth, RespondToAuthChallenge and their Admin variants) from a
/// step; `$available` says whether the output has AvailableChallenges.
macro_rules! step_output {
    ($out:ty, $step:expr, available) => {{
        let (b, available) = step_output!(@common $out, $step);
        let b = match available {
            Some(a) => b.set_available_challenges(Some(
                a.iter()
                    .map(|c| crate::model::ChallengeNameType::from(c.as_str()))
                    .collect::<Vec<_>>(),
            )),
            None => b,
        };
        b.build().map_err(crate::error::ApiError::from)
    }};
    ($out:ty, $step:expr) => {{
        let (b, _) = step_output!(@common $out, $step);
        b.build().map_err(crate::error::ApiError::from)
    }};
    (@common $out:ty, $step:expr) => {{
        let b = <$out>::builder();
        match $step {
            crate::ops::step::Step::Challenge {
                name,
                session,
                parameters,
                available,
            } => (
                b.challenge_name(crate::model::ChallengeNameType::from(name.as_str()))
                    .session(session)
                    .set_challenge_parameters(Some(
                        parameters
                            .into_iter()
                            .collect::<std::collections::HashMap<String, String>>(),
                    )),
                available,
            ),
            crate::ops::step::Step::Tokens(result) => (
                b.authentication_result(result)
                    .set_challenge_parameters(Some(std::collections::HashMap::new())),
                None,
            ),
            crate::ops::step::Step::HostedSignedIn => (b, None),
        }
    }};
}
pub(crate) use step_output;
