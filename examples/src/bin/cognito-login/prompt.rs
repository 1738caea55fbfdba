//! Reading the password and challenge answers: from a terminal (secrets without echo) or, when
//! standard input is not a terminal, one line at a time from it.

use std::io::{self, BufRead, IsTerminal, Write};

use cognito_idp::auth::Secret;

pub struct Prompter {
    interactive: bool,
    stdin: io::StdinLock<'static>,
}

impl Prompter {
    pub fn new() -> Self {
        Prompter {
            interactive: io::stdin().is_terminal(),
            stdin: io::stdin().lock(),
        }
    }

    /// The next line of standard input, without its line ending.
    pub fn read_stdin_line(&mut self, what: &str) -> io::Result<String> {
        let mut line = String::new();
        if self.stdin.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("standard input ended before the {what}"),
            ));
        }
        while line.ends_with('\n') || line.ends_with('\r') {
            line.pop();
        }
        Ok(line)
    }

    /// A visible answer (a code, a choice).
    pub fn line(&mut self, prompt: &str) -> io::Result<String> {
        eprint!("{prompt}: ");
        io::stderr().flush()?;
        let answer = self.read_stdin_line(prompt)?;
        if !self.interactive {
            eprintln!();
        }
        Ok(answer.trim().to_owned())
    }

    /// A secret answer: no echo on a terminal.
    pub fn secret(&mut self, prompt: &str) -> io::Result<Secret> {
        if self.interactive {
            rpassword::prompt_password(format!("{prompt}: ")).map(Secret::new)
        } else {
            eprintln!("{prompt}: (read from standard input)");
            self.read_stdin_line(prompt).map(Secret::new)
        }
    }
}
