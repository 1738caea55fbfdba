//! The tree compiled to NFA instructions, and the Pike VM that runs them: every thread advances
//! in step over the input, so matching is linear in its length whatever the pattern.

use crate::parse::{CharSet, Node};

pub(crate) enum Inst {
    Char(CharSet),
    Split(usize, usize),
    Jump(usize),
    Start,
    End,
    Match,
}

/// The program of `node`, ending in `Match`.
pub(crate) fn compile(node: &Node) -> Vec<Inst> {
    let mut program = Vec::new();
    emit(node, &mut program);
    program.push(Inst::Match);
    program
}

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

/// Whether `program` matches anywhere in `value` (search semantics).
pub(crate) fn search(program: &[Inst], value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    let len = chars.len();
    let mut current = Threads::new(program.len());
    let mut next = Threads::new(program.len());
    for at in 0..=len {
        // Search semantics: a new attempt starts at every position.
        add(program, &mut current, 0, at, len);
        let here = chars.get(at).copied();
        for i in 0..current.list.len() {
            let pc = current.list[i];
            match (&program[pc], here) {
                (Inst::Match, _) => return true,
                (Inst::Char(set), Some(c)) if set.matches(c) => {
                    add(program, &mut next, pc + 1, at + 1, len);
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
fn add(program: &[Inst], threads: &mut Threads, pc: usize, at: usize, len: usize) {
    let mut stack = vec![pc];
    while let Some(pc) = stack.pop() {
        if !threads.visit(pc) {
            continue;
        }
        match &program[pc] {
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
