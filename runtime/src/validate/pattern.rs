//! `@pattern` matching without a regex engine dependency: the ECMA-262 subset Smithy models
//! write, compiled to a small NFA and run as a Pike VM (linear in the input, no backtracking).
//!
//! Supported: literals and escapes (`\.`, `\xHH`, `\uHHHH`, `\t`...), `.`, classes `[...]` /
//! `[^...]` with ranges, `\w \W \d \D \s \S` (ASCII `\w`/`\d`, ECMA-262 `\s`), `\p{X}` / `\P{X}`
//! for the major general categories L, M, N, P, S, Z (tables in `unicode_tables.rs`), groups
//! `(...)` / `(?:...)`, `|`, `? * + {n} {n,} {n,m}` (lazy forms too), `^`, `$`, a leading
//! `(?s)`, and a trailing `(?<!c)$`. Anything else (backreferences, other lookarounds, `\b`,
//! other flags) does not compile, and the member is then left to the service to check.
//! Search semantics: the pattern may match anywhere unless anchored.

use super::unicode_tables as tables;

/// A compiled pattern.
pub(crate) struct Pattern {
    program: Vec<Inst>,
    must_not_end_with: Option<char>,
}

impl Pattern {
    /// Compile `pattern`; `None` when it uses syntax outside the supported subset.
    pub(crate) fn compile(pattern: &str) -> Option<Pattern> {
        let (source, must_not_end_with) = split_trailing_lookbehind(pattern);
        let mut parser = Parser {
            chars: source.chars().collect(),
            at: 0,
            dot_all: false,
        };
        let node = parser.alternation()?;
        if parser.at != parser.chars.len() {
            return None;
        }
        let mut program = Vec::new();
        emit(&node, &mut program);
        program.push(Inst::Match);
        Some(Pattern {
            program,
            must_not_end_with,
        })
    }

    /// Whether `value` contains a match.
    pub(crate) fn is_match(&self, value: &str) -> bool {
        if self.must_not_end_with.is_some_and(|c| value.ends_with(c)) {
            return false;
        }
        let chars: Vec<char> = value.chars().collect();
        let len = chars.len();
        let mut current = Threads::new(self.program.len());
        let mut next = Threads::new(self.program.len());
        for at in 0..=len {
            // Search semantics: a new attempt starts at every position.
            self.add(&mut current, 0, at, len);
            let here = chars.get(at).copied();
            for i in 0..current.list.len() {
                let pc = current.list[i];
                match (&self.program[pc], here) {
                    (Inst::Match, _) => return true,
                    (Inst::Char(set), Some(c)) if set.matches(c) => {
                        self.add(&mut next, pc + 1, at + 1, len);
                    }
                    _ => {}
                }
            }
            std::mem::swap(&mut current, &mut next);
            next.clear();
        }
        false
    }

    /// Add `pc` and everything reachable from it without consuming a character.
    fn add(&self, threads: &mut Threads, pc: usize, at: usize, len: usize) {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if !threads.visit(pc) {
                continue;
            }
            match &self.program[pc] {
                Inst::Jump(to) => stack.push(*to),
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Start if at == 0 => stack.push(pc + 1),
                Inst::End if at == len => stack.push(pc + 1),
                Inst::Start | Inst::End => {}
                Inst::Char(_) | Inst::Match => threads.list.push(pc),
            }
        }
    }
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

/// The threads alive at one position; `seen` marks the instructions visited in this generation.
struct Threads {
    list: Vec<usize>,
    seen: Vec<u32>,
    generation: u32,
}

impl Threads {
    fn new(size: usize) -> Threads {
        Threads {
            list: Vec::with_capacity(size),
            seen: vec![0; size],
            generation: 1,
        }
    }
    fn clear(&mut self) {
        self.list.clear();
        self.generation += 1;
    }
    /// Marks `pc` seen; false if it already was.
    fn visit(&mut self, pc: usize) -> bool {
        if self.seen[pc] == self.generation {
            return false;
        }
        self.seen[pc] = self.generation;
        true
    }
}

enum Inst {
    Char(CharSet),
    Split(usize, usize),
    Jump(usize),
    Start,
    End,
    Match,
}

enum Node {
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

fn emit(node: &Node, program: &mut Vec<Inst>) {
    match node {
        Node::Char(set) => program.push(Inst::Char(set.clone())),
        Node::Start => program.push(Inst::Start),
        Node::End => program.push(Inst::End),
        Node::Concat(nodes) => nodes.iter().for_each(|n| emit(n, program)),
        Node::Alternation(branches) => {
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    emit(branch, program);
                    jumps.push(program.len());
                    program.push(Inst::Jump(0));
                    let after = program.len();
                    program[split] = Inst::Split(split + 1, after);
                } else {
                    emit(branch, program);
                }
            }
            let end = program.len();
            for j in jumps {
                program[j] = Inst::Jump(end);
            }
        }
        Node::Repeat { node, min, max } => {
            for _ in 0..*min {
                emit(node, program);
            }
            match max {
                None => {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    emit(node, program);
                    program.push(Inst::Jump(split));
                    let after = program.len();
                    program[split] = Inst::Split(split + 1, after);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(program.len());
                        program.push(Inst::Split(0, 0));
                        emit(node, program);
                    }
                    let after = program.len();
                    for s in splits {
                        program[s] = Inst::Split(s + 1, after);
                    }
                }
            }
        }
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    dot_all: bool,
}

impl Parser {
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

    fn alternation(&mut self) -> Option<Node> {
        let mut branches = vec![self.concat()?];
        while self.eat('|') {
            branches.push(self.concat()?);
        }
        Some(if branches.len() == 1 {
            branches.pop()?
        } else {
            Node::Alternation(branches)
        })
    }

    fn concat(&mut self) -> Option<Node> {
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
        Some(Node::Concat(nodes))
    }

    /// One atom; `Ok(None)` for a flag group that matches nothing itself.
    fn atom(&mut self) -> Option<Option<Node>> {
        let c = self.next()?;
        Some(Some(match c {
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
            '[' => Node::Char(self.class()?),
            '(' => {
                if self.eat('?') {
                    match self.next()? {
                        ':' => {}
                        's' if self.eat(')') => {
                            self.dot_all = true;
                            return Some(None);
                        }
                        _ => return None,
                    }
                }
                let inner = self.alternation()?;
                if !self.eat(')') {
                    return None;
                }
                inner
            }
            '\\' => Node::Char(CharSet::of(self.escape(false)?)),
            ')' | '*' | '+' | '?' => return None,
            c => Node::Char(CharSet::of(Item::Range(c, c))),
        }))
    }

    fn quantified(&mut self, atom: Node) -> Option<Node> {
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
                None => return Some(atom),
            },
            (None, _) => return Some(atom),
        };
        if matches!(atom, Node::Start | Node::End) {
            return None;
        }
        self.eat('?'); // lazy: the same set of matching strings
        let too_many = |n: u32| n > MAX_COUNT;
        if max.is_some_and(|max| max < min || too_many(max)) || too_many(min) {
            return None;
        }
        Some(Node::Repeat {
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

    fn number(&mut self) -> Option<u32> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let digits: String = self.chars[start..self.at].iter().collect();
        digits.parse().ok()
    }

    fn class(&mut self) -> Option<CharSet> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        loop {
            let c = self.next()?;
            let item = match c {
                ']' => break,
                '\\' => self.escape(true)?,
                c => Item::Range(c, c),
            };
            // A range `a-z` needs single characters on both sides; `[\w-z]` is three items.
            if let Item::Range(lo, lo2) = item {
                if lo == lo2
                    && self.peek() == Some('-')
                    && self.chars.get(self.at + 1) != Some(&']')
                {
                    self.at += 1;
                    let hi = match self.next()? {
                        '\\' => match self.escape(true)? {
                            Item::Range(hi, hi2) if hi == hi2 => hi,
                            _ => return None,
                        },
                        hi => hi,
                    };
                    if hi < lo {
                        return None;
                    }
                    items.push(Item::Range(lo, hi));
                    continue;
                }
            }
            items.push(item);
        }
        Some(CharSet { negated, items })
    }

    /// The escape after a `\`.
    fn escape(&mut self, in_class: bool) -> Option<Item> {
        let c = self.next()?;
        let single = |c: char| Item::Range(c, c);
        Some(match c {
            'w' => Item::Word(false),
            'W' => Item::Word(true),
            'd' => Item::Digit(false),
            'D' => Item::Digit(true),
            's' => Item::Space(false),
            'S' => Item::Space(true),
            'p' | 'P' => {
                if !self.eat('{') {
                    return None;
                }
                let name = self.next()?;
                if !self.eat('}') {
                    return None;
                }
                let table = match name {
                    'L' => tables::LETTER,
                    'M' => tables::MARK,
                    'N' => tables::NUMBER,
                    'P' => tables::PUNCTUATION,
                    'S' => tables::SYMBOL,
                    'Z' => tables::SEPARATOR,
                    _ => return None,
                };
                Item::Category(table, c == 'P')
            }
            't' => single('\t'),
            'n' => single('\n'),
            'r' => single('\r'),
            'f' => single('\u{c}'),
            'v' => single('\u{b}'),
            '0' if !self.peek().is_some_and(|c| c.is_ascii_digit()) => single('\0'),
            'x' => single(self.hex(2)?),
            'u' => single(self.hex(4)?),
            'b' if in_class => single('\u{8}'),
            c if c.is_ascii_punctuation() => single(c),
            _ => return None,
        })
    }

    fn hex(&mut self, digits: usize) -> Option<char> {
        let text: String = self.chars.get(self.at..self.at + digits)?.iter().collect();
        let value = u32::from_str_radix(&text, 16).ok()?;
        self.at += digits;
        char::from_u32(value)
    }
}

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

#[derive(Clone)]
struct CharSet {
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
    fn matches(&self, c: char) -> bool {
        self.items.iter().any(|i| i.matches(c)) != self.negated
    }
}
