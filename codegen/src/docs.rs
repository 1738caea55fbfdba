//! Smithy documentation (CommonMark with HTML, mostly HTML in AWS models) → readable rustdoc.
//!
//! Tags become Markdown (`<code>` → backticks, `<a href>` → links, `<li>` → bullets, `<p>` →
//! paragraphs); entities are decoded; indentation is dropped so that nothing turns into a
//! doctest by accident; `<pre>` becomes a ```` ```text ```` block.

/// Convert one documentation string. Returns an empty string for no content.
pub fn to_rustdoc(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut href_stack: Vec<Option<String>> = Vec::new();
    let mut in_pre = false;
    let mut in_code = false;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text(&rest[..lt], in_pre, in_code, &mut out);
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            text(&rest[lt..], in_pre, in_code, &mut out);
            rest = "";
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div" | "note" | "important" | "ul" | "ol" | "dl" | "br", _)
                if !out.ends_with("- ") =>
            {
                out.push_str("\n\n")
            }
            ("li" | "dt", false) => out.push_str("\n- "),
            ("dd", false) => out.push_str("\n  "),
            ("code", closing) if !in_pre => {
                in_code = !closing;
                out.push('`');
            }
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("pre", false) => {
                in_pre = true;
                out.push_str("\n\n```text\n");
            }
            ("pre", true) => {
                in_pre = false;
                out.push_str("\n```\n\n");
            }
            ("a", false) => {
                let href = attr(tag, "href");
                if href.is_some() {
                    out.push('[');
                }
                href_stack.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = href_stack.pop() {
                    out.push_str("](");
                    out.push_str(&href);
                    out.push(')');
                }
            }
            _ => {}
        }
    }
    text(rest, in_pre, in_code, &mut out);
    tidy(&out)
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let i = tag.find(&format!("{name}=\""))?;
    let v = &tag[i + name.len() + 2..];
    let end = v.find('"')?;
    Some(decode(&v[..end]))
}

fn text(raw: &str, in_pre: bool, in_code: bool, out: &mut String) {
    let decoded = decode(raw);
    if in_pre {
        out.push_str(&decoded.replace("```", "'''"));
        return;
    }
    // Collapse whitespace; escape what rustdoc would read as Markdown structure or links.
    let mut last_space = out.ends_with(|c: char| c.is_whitespace()) || out.is_empty();
    for c in decoded.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        last_space = false;
        if in_code {
            // Markdown escapes do not work inside a code span; only a backtick would end it.
            out.push(if c == '`' { '\'' } else { c });
            continue;
        }
        match c {
            '[' | ']' | '*' | '_' | '`' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Trim lines, drop blank runs, keep paragraph breaks.
fn tidy(s: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    let mut in_fence = false;
    for line in s.lines() {
        let line = if in_fence {
            line.trim_end()
        } else {
            line.trim()
        };
        if line.starts_with("```") {
            in_fence = !in_fence;
        }
        if line.is_empty() && !in_fence {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 && !in_fence { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_markdown() {
        let html = "<p>Starts <code>USER_SRP_AUTH</code> for a <b>user</b>.\n      See <a href=\"https://example.com/x\">the guide</a>.</p>\n   <ul><li><p>one</p></li><li>two &amp; three</li></ul>";
        assert_eq!(
            to_rustdoc(html),
            "Starts `USER_SRP_AUTH` for a **user**. See [the guide](https://example.com/x).\n\n- one\n\n- two & three"
        );
    }

    #[test]
    fn indentation_never_makes_a_doctest() {
        let d = to_rustdoc("<p>a</p>\n        fn main() { [x] }");
        assert!(!d.lines().any(|l| l.starts_with("    ")));
        assert!(d.contains("\\[x\\]"));
    }

    #[test]
    fn pre_is_text_block() {
        let d = to_rustdoc("<pre>{ \"a\": 1 }</pre>");
        assert!(d.contains("```text\n{ \"a\": 1 }\n```"));
    }
}
