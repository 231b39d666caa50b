"""Lexer for capDL text.

Tokens are numbers, identifiers and symbols; whitespace and comments separate them.  Following
seL4's capDL tool (and its grammar document):

* identifiers start with a letter and go on with letters, digits and `_ @ . -`; a `-` or `.` is
  part of an identifier only if the character after it is not the same one, so `a--` starts a
  comment and `x..y` is a range;
* numbers are decimal, hexadecimal (`0x`) or octal (`0o`); a leading zero alone does not make a
  number octal (`010` is ten), which is what the capDL tool does whatever its document says;
* `--` starts a comment to the end of the line; `/* ... */` comments nest;
* symbols: `{ } ( ) [ ] , ; : = / < > .. .` and `-` (only in `- child_of`);
* double-quoted strings (file names inside frame `fill:` parameters).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CdlSyntaxError, Location

SYMBOLS_2 = ("..",)
SYMBOLS_1 = "{}()[],;:=/<>-."
DIGITS = {10: "0123456789", 16: "0123456789abcdefABCDEF", 8: "01234567"}


@dataclass(frozen=True)
class Token:
    """One token: kind is 'ident', 'num', 'str', 'sym' or 'eof'; value is the text or number."""

    kind: str
    value: object
    loc: Location

    def is_sym(self, text: str) -> bool:
        return self.kind == "sym" and self.value == text

    def is_word(self, text: str) -> bool:
        return self.kind == "ident" and self.value == text

    def describe(self) -> str:
        if self.kind == "eof":
            return "end of file"
        return f"'{self.value}'"


class _Scanner:
    """Walks the text once, keeping the current line for locations."""

    def __init__(self, text: str, filename: str):
        self.text = text
        self.file = filename
        self.pos = 0
        self.line = 1

    def loc(self) -> Location:
        return Location(self.file, self.line)

    def peek(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.peek() == "\n":
                self.line += 1
            self.pos += 1

    def skip_space_and_comments(self) -> None:
        while self.pos < len(self.text):
            ch = self.peek()
            if ch in " \t\r\n\f":
                self.advance()
            elif ch == "-" and self.peek(1) == "-":
                while self.pos < len(self.text) and self.peek() != "\n":
                    self.advance()
            elif ch == "/" and self.peek(1) == "*":
                self.skip_block_comment()
            else:
                return

    def skip_block_comment(self) -> None:
        start = self.loc()
        depth = 0
        while self.pos < len(self.text):
            if self.peek() == "/" and self.peek(1) == "*":
                depth += 1
                self.advance(2)
            elif self.peek() == "*" and self.peek(1) == "/":
                depth -= 1
                self.advance(2)
                if depth == 0:
                    return
            else:
                self.advance()
        raise CdlSyntaxError("comment '/*' is never closed", start)

    def number(self) -> Token:
        loc = self.loc()
        start = self.pos
        base = 10
        if self.peek() == "0" and self.peek(1) in ("x", "X", "o", "O"):
            base = 16 if self.peek(1) in "xX" else 8
            self.advance(2)
        digits_at = self.pos
        allowed = DIGITS[base]
        while self.peek() and self.peek() in allowed:
            self.advance()
        digits = self.text[digits_at:self.pos]
        try:
            value = int(digits, base)
        except ValueError:
            raise CdlSyntaxError(f"malformed number '{self.text[start:self.pos]}'", loc) from None
        return Token("num", value, loc)

    def identifier(self) -> Token:
        loc = self.loc()
        start = self.pos
        self.advance()
        while self._ident_continues():
            self.advance()
        return Token("ident", self.text[start:self.pos], loc)

    def string(self) -> Token:
        """A double-quoted string (only file names in `fill:` use them)."""
        loc = self.loc()
        end = self.text.find('"', self.pos + 1)
        if end < 0 or "\n" in self.text[self.pos:end]:
            raise CdlSyntaxError("string is not closed on its line", loc)
        value = self.text[self.pos + 1:end]
        self.advance(end + 1 - self.pos)
        return Token("str", value, loc)

    def _ident_continues(self) -> bool:
        ch, after = self.peek(), self.peek(1)
        if not ch:
            return False
        if ch.isalnum() or ch in "_@":
            return True
        return ch in ".-" and bool(after) and after != ch and (after.isalnum() or after in "_@")

    def symbol(self) -> Token:
        loc = self.loc()
        for sym in SYMBOLS_2:
            if self.text.startswith(sym, self.pos):
                self.advance(len(sym))
                return Token("sym", sym, loc)
        ch = self.peek()
        if ch in SYMBOLS_1:
            self.advance()
            return Token("sym", ch, loc)
        raise CdlSyntaxError(f"unexpected character '{ch}'", loc)


def tokenize(text: str, filename: str = "<input>") -> list[Token]:
    """Split capDL text into tokens, ending with one 'eof' token."""
    sc = _Scanner(text, filename)
    tokens: list[Token] = []
    while True:
        sc.skip_space_and_comments()
        ch = sc.peek()
        if not ch:
            tokens.append(Token("eof", None, sc.loc()))
            return tokens
        if ch == '"':
            tokens.append(sc.string())
        elif ch.isdigit():
            tokens.append(sc.number())
        elif ch.isalpha():
            tokens.append(sc.identifier())
        else:
            tokens.append(sc.symbol())
