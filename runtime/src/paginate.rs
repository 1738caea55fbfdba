//! Pagination for `@paginated` operations: feed each output's next token into the next input.
//!
//! ```
//! # async fn demo() {
//! use awsjson_runtime::paginate::Paginator;
//! #[derive(Clone, Default)]
//! struct In { token: Option<String> }
//! struct Out { items: Vec<u32>, next: Option<String> }
//! let mut pages = Paginator::new(
//!     In::default(),
//!     |input: In| async move {
//!         Ok::<_, std::io::Error>(match input.token.as_deref() {
//!             None => Out { items: vec![1, 2], next: Some("p2".into()) },
//!             _ => Out { items: vec![3], next: None },
//!         })
//!     },
//!     |input: &mut In, token| input.token = token,
//!     |out: &Out| out.next.clone(),
//! );
//! let mut all = Vec::new();
//! while let Some(page) = pages.next_page().await {
//!     all.extend(page.unwrap().items);
//! }
//! assert_eq!(all, [1, 2, 3]);
//! # }
//! ```

use std::future::Future;

enum State {
    Start,
    Next(String),
    Done,
}

/// Calls a paginated operation page by page. Stops when the output has no token, an empty
/// token, or repeats the token it was given (a service bug that would otherwise loop forever),
/// and after the first error.
pub struct Paginator<I, O, F> {
    input: I,
    fetch: F,
    set_token: fn(&mut I, Option<String>),
    next_token: fn(&O) -> Option<String>,
    state: State,
}

impl<I, O, E, F, Fut> Paginator<I, O, F>
where
    I: Clone,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    /// `fetch` sends one input; `set_token` writes the input's token member; `next_token` reads
    /// the output's token member.
    pub fn new(
        input: I,
        fetch: F,
        set_token: fn(&mut I, Option<String>),
        next_token: fn(&O) -> Option<String>,
    ) -> Self {
        Paginator {
            input,
            fetch,
            set_token,
            next_token,
            state: State::Start,
        }
    }

    /// The next page, or `None` when there are no more.
    pub async fn next_page(&mut self) -> Option<Result<O, E>> {
        let token = match std::mem::replace(&mut self.state, State::Done) {
            State::Done => return None,
            State::Start => None,
            State::Next(t) => Some(t),
        };
        let mut input = self.input.clone();
        (self.set_token)(&mut input, token.clone());
        match (self.fetch)(input).await {
            Ok(out) => {
                match (self.next_token)(&out) {
                    Some(next) if !next.is_empty() && Some(&next) != token.as_ref() => {
                        self.state = State::Next(next);
                    }
                    _ => self.state = State::Done,
                }
                Some(Ok(out))
            }
            Err(e) => Some(Err(e)),
        }
    }

    /// Every page, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<O>, E> {
        let mut pages = Vec::new();
        while let Some(page) = self.next_page().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}
