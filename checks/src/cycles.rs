//! Import cycles: the strongly connected components of the module graph with more than one
//! module (Tarjan's algorithm), each reported with the paths that tie it together.

use std::collections::BTreeMap;
use std::fmt;

use crate::resolve::Edge;
use crate::tree::Crate;

/// Modules that depend on each other in a ring, and one path for every dependency inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// `crate::a`, `crate::b`, ... in the crate's module order.
    pub modules: Vec<String>,
    /// (from, to, path written in `from`), one per pair.
    pub links: Vec<(String, String, String)>,
}

impl fmt::Display for Cycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "import cycle among {}:", self.modules.join(", "))?;
        for (from, to, via) in &self.links {
            writeln!(f, "    {from} -> {to}   (`{via}`)")?;
        }
        Ok(())
    }
}

/// Every cycle in the crate's module graph.
pub fn find(krate: &Crate, edges: &[Edge]) -> Vec<Cycle> {
    let n = krate.modules.len();
    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        if !adjacency[e.from].contains(&e.to) {
            adjacency[e.from].push(e.to);
        }
    }
    let mut out = Vec::new();
    for mut component in strongly_connected(&adjacency) {
        if component.len() < 2 {
            continue;
        }
        component.sort_unstable();
        let mut links: BTreeMap<(usize, usize), &str> = BTreeMap::new();
        for e in edges {
            if component.contains(&e.from) && component.contains(&e.to) {
                links.entry((e.from, e.to)).or_insert(&e.via);
            }
        }
        let name = |m: usize| krate.modules[m].name();
        out.push(Cycle {
            modules: component.iter().map(|&m| name(m)).collect(),
            links: links
                .into_iter()
                .map(|((a, b), via)| (name(a), name(b), via.to_owned()))
                .collect(),
        });
    }
    out.sort_by(|a, b| a.modules.cmp(&b.modules));
    out
}

/// Tarjan's strongly connected components, iterative (a deep module tree cannot overflow).
fn strongly_connected(adjacency: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adjacency.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut components = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its adjacency list)
        let mut work = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if let Some(&w) = adjacency[v].get(*pos) {
                *pos += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 4 -> 3, 5 alone
        let adjacency = vec![vec![1], vec![2], vec![0, 3], vec![4], vec![3], vec![]];
        let mut got: Vec<Vec<usize>> = strongly_connected(&adjacency)
            .into_iter()
            .map(|mut c| {
                c.sort_unstable();
                c
            })
            .collect();
        got.sort();
        assert_eq!(got, vec![vec![0, 1, 2], vec![3, 4], vec![5]]);
    }
}
