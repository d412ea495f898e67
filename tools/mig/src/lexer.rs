//! Tokens of the MIG language, read from C-preprocessor output.
//!
//! The lexer follows the `# line "file"` markers that cpp writes, so every
//! token knows the file and line it came from in the original sources.

use std::fmt;
use std::rc::Rc;

/// Where a token (or an error) comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pos {
    pub file: Rc<str>,
    pub line: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A `file:line: message` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigError {
    pub pos: Pos,
    pub msg: String,
}

impl fmt::Display for MigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.msg)
    }
}

impl std::error::Error for MigError {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Ident(String),
    Number(u32),
    /// One of `: ; , + - * / ( ) = ^ ~ < > [ ] |`.
    Sym(char),
    /// A bare word read in string mode (WaitTime, MsgOption, ...).
    Str(String),
    /// A quoted string (RCSId).
    QStr(String),
    /// `<file>` or `"file"` after import.
    FileName(String),
    Eof,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Ident(s) => write!(f, "'{s}'"),
            Tok::Number(n) => write!(f, "'{n}'"),
            Tok::Sym(c) => write!(f, "'{c}'"),
            Tok::Str(s) | Tok::QStr(s) | Tok::FileName(s) => write!(f, "'{s}'"),
            Tok::Eof => write!(f, "end of file"),
        }
    }
}

/// What the parser expects next: MIG's lexer has modes for the operands of
/// a few statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Str,
    QStr,
    FileName,
}

pub struct Lexer {
    src: Vec<char>,
    at: usize,
    file: Rc<str>,
    line: u32,
    bol: bool,
}

impl Lexer {
    pub fn new(src: &str, file: &str) -> Lexer {
        Lexer {
            src: src.chars().collect(),
            at: 0,
            file: Rc::from(file),
            line: 1,
            bol: true,
        }
    }

    pub fn pos(&self) -> Pos {
        Pos {
            file: self.file.clone(),
            line: self.line,
        }
    }

    fn peekc(&self) -> Option<char> {
        self.src.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.src.get(self.at).copied();
        if let Some(ch) = c {
            self.at += 1;
            if ch == '\n' {
                self.line += 1;
                self.bol = true;
            } else if !ch.is_whitespace() {
                self.bol = false;
            }
        }
        c
    }

    fn rest_of_line(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peekc() {
            if c == '\n' {
                break;
            }
            s.push(c);
            self.at += 1;
        }
        s
    }

    /// A `#` at the start of a line: a cpp line marker or a pragma.
    fn directive(&mut self) -> Result<(), MigError> {
        let pos = self.pos();
        self.at += 1; // '#'
        let body = self.rest_of_line();
        let t = body.trim_start();
        let t = t.strip_prefix("line").map(str::trim_start).unwrap_or(t);
        if t.starts_with("pragma") || t.is_empty() {
            return Ok(());
        }
        let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return Err(MigError {
                pos,
                msg: "illegal # directive".into(),
            });
        }
        let n: u32 = digits.parse().unwrap_or(1);
        let after = &t[digits.len()..];
        if let (Some(a), Some(b)) = (after.find('"'), after.rfind('"')) {
            if b > a {
                self.file = Rc::from(&after[a + 1..b]);
            }
        }
        // The marker names the line that follows it.
        self.line = n.saturating_sub(1);
        Ok(())
    }

    fn skip_space(&mut self) -> Result<(), MigError> {
        loop {
            match self.peekc() {
                Some('#') if self.bol => self.directive()?,
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                // Comments survive only if the input did not go through cpp.
                Some('/') if self.src.get(self.at + 1) == Some(&'*') => {
                    let pos = self.pos();
                    self.at += 2;
                    loop {
                        match self.bump() {
                            None => {
                                return Err(MigError {
                                    pos,
                                    msg: "unterminated comment".into(),
                                })
                            }
                            Some('*') if self.peekc() == Some('/') => {
                                self.at += 1;
                                break;
                            }
                            _ => {}
                        }
                    }
                }
                Some('/') if self.src.get(self.at + 1) == Some(&'/') => {
                    self.rest_of_line();
                }
                _ => return Ok(()),
            }
        }
    }

    /// The next token in `mode`, with the line it starts on.
    pub fn next(&mut self, mode: Mode) -> Result<(Tok, Pos), MigError> {
        self.skip_space()?;
        let pos = self.pos();
        let c = match self.peekc() {
            None => return Ok((Tok::Eof, pos)),
            Some(c) => c,
        };
        match mode {
            Mode::Str => {
                let mut s = String::new();
                while let Some(c) = self.peekc() {
                    if c.is_whitespace() || c == ';' {
                        break;
                    }
                    s.push(c);
                    self.bump();
                }
                if !s.is_empty() {
                    return Ok((Tok::Str(s), pos));
                }
            }
            Mode::QStr if c == '"' => {
                self.bump();
                let mut s = String::from("\"");
                loop {
                    match self.bump() {
                        None | Some('\n') => {
                            return Err(MigError {
                                pos,
                                msg: "unterminated string".into(),
                            })
                        }
                        Some('"') => break,
                        Some(ch) => s.push(ch),
                    }
                }
                s.push('"');
                return Ok((Tok::QStr(s), pos));
            }
            Mode::FileName if c == '<' || c == '"' => {
                let close = if c == '<' { '>' } else { '"' };
                let mut s = String::new();
                s.push(c);
                self.bump();
                loop {
                    match self.bump() {
                        None | Some('\n') => {
                            return Err(MigError {
                                pos,
                                msg: "unterminated file name".into(),
                            })
                        }
                        Some(ch) if ch == close => break,
                        Some(ch) => s.push(ch),
                    }
                }
                s.push(close);
                return Ok((Tok::FileName(s), pos));
            }
            _ => {}
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut s = String::new();
            while let Some(c) = self.peekc() {
                if c.is_ascii_alphanumeric() || c == '_' {
                    s.push(c);
                    self.bump();
                } else {
                    break;
                }
            }
            return Ok((Tok::Ident(s), pos));
        }
        if c.is_ascii_digit() {
            let mut s = String::new();
            while let Some(c) = self.peekc() {
                if c.is_ascii_alphanumeric() {
                    s.push(c);
                    self.bump();
                } else {
                    break;
                }
            }
            let v = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                u32::from_str_radix(h, 16)
            } else {
                s.parse::<u32>()
            };
            return match v {
                Ok(n) => Ok((Tok::Number(n), pos)),
                Err(_) => Err(MigError {
                    pos,
                    msg: format!("bad number '{s}'"),
                }),
            };
        }
        if ":;,+-*/()=^~<>[]|".contains(c) {
            self.bump();
            return Ok((Tok::Sym(c), pos));
        }
        self.bump();
        Err(MigError {
            pos,
            msg: format!("unexpected character '{c}'"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(src: &str) -> Vec<(Tok, u32)> {
        let mut l = Lexer::new(src, "t.defs");
        let mut v = Vec::new();
        loop {
            let (t, p) = l.next(Mode::Normal).unwrap();
            if t == Tok::Eof {
                return v;
            }
            v.push((t, p.line));
        }
    }

    #[test]
    fn tokens_and_lines() {
        let v = all("subsystem foo 100;\n\nroutine x(a : int);");
        assert_eq!(v[0], (Tok::Ident("subsystem".into()), 1));
        assert_eq!(v[2], (Tok::Number(100), 1));
        assert_eq!(v[4], (Tok::Ident("routine".into()), 3));
    }

    #[test]
    fn line_markers_set_file_and_line() {
        let mut l = Lexer::new("# 1 \"a.defs\"\nfoo\n# 40 \"b.defs\" 1\n\nbar\n", "x");
        let (_, p) = l.next(Mode::Normal).unwrap();
        assert_eq!((&*p.file, p.line), ("a.defs", 1));
        let (_, p) = l.next(Mode::Normal).unwrap();
        assert_eq!((&*p.file, p.line), ("b.defs", 41));
    }

    #[test]
    fn hex_numbers_and_comments() {
        let v = all("/* c */ 0x10 // x\n 7");
        assert_eq!(v, vec![(Tok::Number(16), 1), (Tok::Number(7), 2)]);
    }

    #[test]
    fn bad_character_is_an_error_with_line() {
        let mut l = Lexer::new("\n\n  $", "f.defs");
        let e = l.next(Mode::Normal).unwrap_err();
        assert_eq!(e.to_string(), "f.defs:3: unexpected character '$'");
    }

    #[test]
    fn file_names_and_strings() {
        let mut l = Lexer::new(
            "<mach/std_types.h> \"x.h\" MACH_SEND_TIMEOUT|X; \"id\"",
            "f",
        );
        assert_eq!(
            l.next(Mode::FileName).unwrap().0,
            Tok::FileName("<mach/std_types.h>".into())
        );
        assert_eq!(
            l.next(Mode::FileName).unwrap().0,
            Tok::FileName("\"x.h\"".into())
        );
        assert_eq!(
            l.next(Mode::Str).unwrap().0,
            Tok::Str("MACH_SEND_TIMEOUT|X".into())
        );
        assert_eq!(l.next(Mode::Normal).unwrap().0, Tok::Sym(';'));
        assert_eq!(l.next(Mode::QStr).unwrap().0, Tok::QStr("\"id\"".into()));
    }
}
