//! Every problem found in a model or in the generator's input, collected and reported together.
//! Each one carries where it is as data ([`Location`]), so that callers (the macro, the print
//! command) place it without reading the message.

use std::fmt;

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// The model as a whole: it cannot be read, it is not a Smithy model, it has no service.
    Model,
    /// A place in the model's text (a JSON syntax error), 1-based.
    Text { line: usize, column: usize },
    /// A shape, or one of its members.
    Shape { id: String, member: Option<String> },
    /// An entry of the `operations` option that names no operation of `service`.
    Operation { service: String, name: String },
}

/// One problem: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    /// The shape id it is located at, if any.
    pub fn shape(&self) -> Option<&str> {
        match &self.location {
            Location::Shape { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The member of that shape, if any.
    pub fn member(&self) -> Option<&str> {
        match &self.location {
            Location::Shape { member, .. } => member.as_deref(),
            _ => None,
        }
    }
}

/// `shape$member: message`, `shape: message` (an unknown operation: `service: message`),
/// `line L, column C: message`, or the message alone.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Shape {
                id,
                member: Some(m),
            } => write!(f, "{id}${m}: {}", self.message),
            Location::Shape { id, member: None } => write!(f, "{id}: {}", self.message),
            Location::Text { line, column } => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            Location::Operation { service, .. } => write!(f, "{service}: {}", self.message),
            Location::Model => f.write_str(&self.message),
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

    /// A problem at `location`; the same one twice is kept once.
    pub fn at(&mut self, location: Location, message: impl Into<String>) {
        let d = Diagnostic {
            location,
            message: message.into(),
        };
        if !self.items.contains(&d) {
            self.items.push(d);
        }
    }

    /// A problem at a shape (and member), or with the whole model when `shape` is `None`.
    pub fn error(&mut self, shape: Option<&str>, member: Option<&str>, message: impl Into<String>) {
        let location = match shape {
            Some(id) => Location::Shape {
                id: id.to_owned(),
                member: member.map(str::to_owned),
            },
            None => Location::Model,
        };
        self.at(location, message);
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
        d.at(Location::Text { line: 2, column: 7 }, "z");
        d.at(
            Location::Operation {
                service: "a#S".into(),
                name: "Op".into(),
            },
            "unknown operation `Op`",
        );
        assert_eq!(d.len(), 4);
        assert_eq!(
            d.to_string(),
            "error: a#B$C: x\nerror: y\nerror: line 2, column 7: z\nerror: a#S: unknown operation `Op`"
        );
        let first = d.iter().next().unwrap();
        assert_eq!((first.shape(), first.member()), (Some("a#B"), Some("C")));
    }
}
