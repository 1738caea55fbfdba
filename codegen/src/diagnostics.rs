//! Every problem found in a model or in the generator's input, collected and reported together.

use std::fmt;

/// One problem, located by shape id and member name where it has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub shape: Option<String>,
    pub member: Option<String>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.shape, &self.member) {
            (Some(s), Some(m)) => write!(f, "{s}${m}: {}", self.message),
            (Some(s), None) => write!(f, "{s}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// The collector each pass writes into (serde_derive's `Ctxt` idea).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn error(&mut self, shape: Option<&str>, member: Option<&str>, message: impl Into<String>) {
        let d = Diagnostic {
            shape: shape.map(str::to_owned),
            member: member.map(str::to_owned),
            message: message.into(),
        };
        if !self.items.contains(&d) {
            self.items.push(d);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// `Ok(value)` when nothing was reported, else every diagnostic.
    pub fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.items.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "error: {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate by edit distance, if close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_l = wanted.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = levenshtein(&wanted_l, &c.to_ascii_lowercase());
        if best.map_or(true, |(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (wanted.chars().count() / 3).max(2);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let ops = ["InitiateAuth", "RespondToAuthChallenge", "GetUser"];
        assert_eq!(did_you_mean("InitiatAuth", ops), Some("InitiateAuth"));
        assert_eq!(did_you_mean("initiateauth", ops), Some("InitiateAuth"));
        assert_eq!(did_you_mean("DeleteEverything", ops), None);
    }

    #[test]
    fn collects_and_dedups() {
        let mut d = Diagnostics::new();
        d.error(Some("a#B"), Some("C"), "x");
        d.error(Some("a#B"), Some("C"), "x");
        d.error(None, None, "y");
        assert_eq!(d.len(), 2);
        assert_eq!(d.to_string(), "error: a#B$C: x\nerror: y");
    }
}
