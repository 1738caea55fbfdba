//! The pattern's syntax tree, parsed from the ECMA-262 subset the crate documents. Every
//! refusal names the character where it starts, and says whether the pattern is wrong or only
//! beyond this matcher.

use crate::error::{PatternError, PatternErrorKind};
use crate::unicode_tables as tables;

pub(crate) enum Node {
    Char(CharSet),
    Start,
    End,
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

/// The largest counted repetition compiled (the NFA holds one copy per count).
const MAX_COUNT: u32 = 1000;

/// A parsed pattern: the tree, and the character a trailing `(?<!c)$` forbids at the end.
pub(crate) struct Parsed {
    pub(crate) node: Node,
    pub(crate) must_not_end_with: Option<char>,
}

pub(crate) fn parse(pattern: &str) -> Result<Parsed, PatternError> {
    let (source, must_not_end_with) = split_trailing_lookbehind(pattern);
    let mut parser = Parser {
        chars: source.chars().collect(),
        at: 0,
        dot_all: false,
    };
    let node = parser.alternation()?;
    if parser.at != parser.chars.len() {
        // `concat` stops only at `|` (taken by `alternation`) or at a `)` no group opened.
        return Err(parser.invalid(parser.at, "`)` without an opening `(`"));
    }
    Ok(Parsed {
        node,
        must_not_end_with,
    })
}

/// A trailing `(?<!c)$` (one character), which the NFA has no instruction for, becomes a
/// separate "must not end with" check; the rest keeps its `$`.
fn split_trailing_lookbehind(pattern: &str) -> (String, Option<char>) {
    let unchanged = (pattern.to_string(), None);
    let Some(before) = pattern.strip_suffix(")$") else {
        return unchanged;
    };
    let Some(i) = before.rfind("(?<!") else {
        return unchanged;
    };
    let inner = &before[i + 4..];
    let c = match inner.strip_prefix('\\') {
        Some(esc) if esc.chars().count() == 1 => {
            esc.chars().next().filter(|c| c.is_ascii_punctuation())
        }
        Some(_) => None,
        None if inner.chars().count() == 1 => inner.chars().next(),
        None => None,
    };
    match c {
        Some(c) => (format!("{}$", &pattern[..i]), Some(c)),
        None => unchanged,
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    dot_all: bool,
}

type Parse<T> = Result<T, PatternError>;

impl Parser {
    fn invalid(&self, at: usize, message: &'static str) -> PatternError {
        PatternError::new(at, PatternErrorKind::Invalid, message)
    }
    fn unsupported(&self, at: usize, message: &'static str) -> PatternError {
        PatternError::new(at, PatternErrorKind::Unsupported, message)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    fn alternation(&mut self) -> Parse<Node> {
        let mut branches = vec![self.concat()?];
        while self.eat('|') {
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.swap_remove(0)
        } else {
            Node::Alternation(branches)
        })
    }

    fn concat(&mut self) -> Parse<Node> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = match self.atom()? {
                Some(atom) => atom,
                None => continue,
            };
            nodes.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(nodes))
    }

    /// One atom at the cursor (there is a character); `None` for a flag group that matches
    /// nothing itself.
    fn atom(&mut self) -> Parse<Option<Node>> {
        let start = self.at;
        let Some(c) = self.next() else {
            return Err(self.invalid(start, "the pattern ends where an atom was expected"));
        };
        Ok(Some(match c {
            '^' => Node::Start,
            '$' => Node::End,
            '.' => Node::Char(if self.dot_all {
                CharSet::negated(Vec::new())
            } else {
                CharSet::negated(
                    LINE_TERMINATORS
                        .iter()
                        .map(|&c| Item::Range(c, c))
                        .collect(),
                )
            }),
            '[' => Node::Char(self.class(start)?),
            '(' => {
                if self.eat('?') {
                    match self.next() {
                        Some(':') => {}
                        Some('s') if self.eat(')') => {
                            self.dot_all = true;
                            return Ok(None);
                        }
                        Some('=' | '!') => return Err(self.unsupported(start, "lookahead")),
                        Some('<') if matches!(self.peek(), Some('=' | '!')) => {
                            return Err(self.unsupported(
                                start,
                                "lookbehind (other than one character before a final `$`)",
                            ))
                        }
                        Some('<') => self.group_name(start)?,
                        Some(c) if c.is_ascii_alphabetic() || c == '-' => {
                            return Err(self.unsupported(start, "an inline flag other than `(?s)`"))
                        }
                        _ => return Err(self.invalid(start, "unknown group syntax after `(?`")),
                    }
                }
                let inner = self.alternation()?;
                if !self.eat(')') {
                    return Err(self.invalid(start, "`(` without a closing `)`"));
                }
                inner
            }
            '\\' => Node::Char(CharSet::of(self.escape(start, false)?)),
            '*' | '+' | '?' => {
                return Err(self.invalid(start, "a quantifier with nothing to repeat"))
            }
            c => Node::Char(CharSet::of(Item::Range(c, c))),
        }))
    }

    /// The name of a `(?<name>...)` group (a group like any other to the matcher).
    fn group_name(&mut self, start: usize) -> Parse<()> {
        let mut any = false;
        while let Some(c) = self.next() {
            match c {
                '>' if any => return Ok(()),
                c if c.is_alphanumeric() || c == '_' || c == '$' => any = true,
                _ => break,
            }
        }
        Err(self.invalid(
            start,
            "a group name must be letters, digits or `_` closed by `>`",
        ))
    }

    fn quantified(&mut self, atom: Node) -> Parse<Node> {
        let start = self.at;
        let single = match self.peek() {
            Some('*') => Some((0, None)),
            Some('+') => Some((1, None)),
            Some('?') => Some((0, Some(1))),
            _ => None,
        };
        let (min, max) = match (single, self.peek()) {
            (Some(bounds), _) => {
                self.at += 1;
                bounds
            }
            (None, Some('{')) => match self.counted() {
                Some(bounds) => bounds,
                // ECMA-262 Annex B: a `{` that starts no quantifier is a literal.
                None => return Ok(atom),
            },
            (None, _) => return Ok(atom),
        };
        if matches!(atom, Node::Start | Node::End) {
            return Err(self.invalid(start, "a quantifier after `^` or `$`"));
        }
        self.eat('?'); // lazy: the same set of matching strings
        if max.is_some_and(|max| max < min) {
            return Err(self.invalid(start, "a count `{n,m}` with m below n"));
        }
        if max.unwrap_or(min) > MAX_COUNT {
            return Err(self.unsupported(start, "a count above 1000"));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    /// `{n}`, `{n,}` or `{n,m}` at the cursor, consumed; otherwise `None`, nothing consumed.
    fn counted(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.at;
        self.at += 1;
        let parsed = (|| {
            let min = self.number()?;
            let max = if self.eat(',') {
                if self.peek() == Some('}') {
                    None
                } else {
                    Some(self.number()?)
                }
            } else {
                Some(min)
            };
            self.eat('}').then_some((min, max))
        })();
        if parsed.is_none() {
            self.at = start;
        }
        parsed
    }

    /// Digits at the cursor; a number too large for `u32` counts as `u32::MAX` (over the limit).
    fn number(&mut self) -> Option<u32> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        if start == self.at {
            return None;
        }
        let digits: String = self.chars[start..self.at].iter().collect();
        Some(digits.parse().unwrap_or(u32::MAX))
    }

    /// A class; `start` is the position of its `[`.
    fn class(&mut self, start: usize) -> Parse<CharSet> {
        let unclosed = "`[` without a closing `]`";
        let negated = self.eat('^');
        let mut items = Vec::new();
        loop {
            let at = self.at;
            let item = match self.next() {
                None => return Err(self.invalid(start, unclosed)),
                Some(']') => break,
                Some('\\') => self.escape(at, true)?,
                Some(c) => Item::Range(c, c),
            };
            // A range `a-z` needs single characters on both sides; `[\w-z]` is three items.
            if let Item::Range(lo, lo2) = item {
                if lo == lo2
                    && self.peek() == Some('-')
                    && self.chars.get(self.at + 1).is_some_and(|&c| c != ']')
                {
                    self.at += 1;
                    let hi_at = self.at;
                    let hi = match self.next() {
                        None => return Err(self.invalid(start, unclosed)),
                        Some('\\') => match self.escape(hi_at, true)? {
                            Item::Range(hi, hi2) if hi == hi2 => hi,
                            _ => {
                                return Err(
                                    self.unsupported(hi_at, "a class escape as the end of a range")
                                )
                            }
                        },
                        Some(hi) => hi,
                    };
                    if hi < lo {
                        return Err(self.invalid(at, "a range `a-b` with b before a"));
                    }
                    items.push(Item::Range(lo, hi));
                    continue;
                }
            }
            items.push(item);
        }
        Ok(CharSet { negated, items })
    }

    /// The escape after a `\` at `start`.
    fn escape(&mut self, start: usize, in_class: bool) -> Parse<Item> {
        let single = |c: char| Item::Range(c, c);
        let Some(c) = self.next() else {
            return Err(self.invalid(start, "`\\` at the end of the pattern"));
        };
        Ok(match c {
            'w' => Item::Word(false),
            'W' => Item::Word(true),
            'd' => Item::Digit(false),
            'D' => Item::Digit(true),
            's' => Item::Space(false),
            'S' => Item::Space(true),
            'p' | 'P' => Item::Category(self.property(start)?, c == 'P'),
            't' => single('\t'),
            'n' => single('\n'),
            'r' => single('\r'),
            'f' => single('\u{c}'),
            'v' => single('\u{b}'),
            '0' if !self.peek().is_some_and(|c| c.is_ascii_digit()) => single('\0'),
            '0'..='9' => {
                return Err(self.unsupported(start, "a backreference (or octal escape)"));
            }
            'k' => return Err(self.unsupported(start, "a named backreference")),
            'b' if in_class => single('\u{8}'),
            'b' | 'B' => return Err(self.unsupported(start, "a word boundary")),
            'c' => match self.next() {
                Some(l) if l.is_ascii_alphabetic() => single(char::from(l as u8 % 32)),
                _ => return Err(self.invalid(start, "`\\c` needs a letter")),
            },
            'x' => single(self.hex(start, 2)?),
            'u' if self.eat('{') => {
                let digits = self.chars[self.at..]
                    .iter()
                    .take_while(|c| c.is_ascii_hexdigit())
                    .count();
                let c = self.hex(start, digits)?;
                if !self.eat('}') {
                    return Err(self.invalid(start, "`\\u{` without a closing `}`"));
                }
                single(c)
            }
            'u' => single(self.hex(start, 4)?),
            c if c.is_ascii_punctuation() => single(c),
            _ => return Err(self.invalid(start, "an unknown escape")),
        })
    }

    /// The table of `\p{Name}`; the cursor is after the `p`.
    fn property(&mut self, start: usize) -> Parse<&'static [(u32, u32)]> {
        if !self.eat('{') {
            return Err(self.invalid(start, "`\\p` needs a property name in braces"));
        }
        let name_start = self.at;
        while self.peek().is_some_and(|c| c != '}') {
            self.at += 1;
        }
        if !self.eat('}') {
            return Err(self.invalid(start, "`\\p{` without a closing `}`"));
        }
        let name: String = self.chars[name_start..self.at - 1].iter().collect();
        Ok(match name.as_str() {
            "L" | "Letter" => tables::LETTER,
            "M" | "Mark" => tables::MARK,
            "N" | "Number" => tables::NUMBER,
            "P" | "Punctuation" => tables::PUNCTUATION,
            "S" | "Symbol" => tables::SYMBOL,
            "Z" | "Separator" => tables::SEPARATOR,
            "ASCII" => ASCII,
            _ => {
                return Err(self.unsupported(
                    start,
                    "a Unicode property other than L, M, N, P, S, Z and ASCII",
                ))
            }
        })
    }

    /// `digits` hex digits at the cursor, as a character (a surrogate is not one).
    fn hex(&mut self, start: usize, digits: usize) -> Parse<char> {
        let text: String = match self.chars.get(self.at..self.at + digits) {
            Some(text) if digits > 0 => text.iter().collect(),
            _ => return Err(self.invalid(start, "an escape needs hex digits")),
        };
        let Ok(value) = u32::from_str_radix(&text, 16) else {
            return Err(self.invalid(start, "an escape needs hex digits"));
        };
        self.at += digits;
        char::from_u32(value).ok_or_else(|| {
            self.unsupported(
                start,
                "a UTF-16 surrogate or a value beyond Unicode (the matcher reads characters)",
            )
        })
    }
}

/// `\p{ASCII}`.
const ASCII: &[(u32, u32)] = &[(0, 0x7F)];

/// ECMA-262 LineTerminator: what `.` does not match without the `s` flag.
const LINE_TERMINATORS: [char; 4] = ['\n', '\r', '\u{2028}', '\u{2029}'];

/// ECMA-262 WhiteSpace and LineTerminator: `\s`.
fn is_ecma_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

#[derive(Clone)]
enum Item {
    Range(char, char),
    Word(bool),
    Digit(bool),
    Space(bool),
    Category(&'static [(u32, u32)], bool),
}

impl Item {
    fn matches(&self, c: char) -> bool {
        match self {
            Item::Range(lo, hi) => (*lo..=*hi).contains(&c),
            Item::Word(negated) => (c.is_ascii_alphanumeric() || c == '_') != *negated,
            Item::Digit(negated) => c.is_ascii_digit() != *negated,
            Item::Space(negated) => is_ecma_space(c) != *negated,
            Item::Category(table, negated) => in_table(table, c) != *negated,
        }
    }
}

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// What one position of the pattern accepts.
#[derive(Clone)]
pub(crate) struct CharSet {
    negated: bool,
    items: Vec<Item>,
}

impl CharSet {
    fn of(item: Item) -> CharSet {
        CharSet {
            negated: false,
            items: vec![item],
        }
    }
    fn negated(items: Vec<Item>) -> CharSet {
        CharSet {
            negated: true,
            items,
        }
    }
    pub(crate) fn matches(&self, c: char) -> bool {
        self.items.iter().any(|i| i.matches(c)) != self.negated
    }
}
