"""Python `re` patterns rewritten as JavaScript `RegExp` sources that need no flags.

promptfoo compiles a `regex` assertion with `new RegExp(value)`: no flags, and the V8 of
Node 20 knows no inline flags, so `(?i)`, `(?s)`, `(?m)`, `(?x)` and scoped `(?i:...)` are
"Invalid regex pattern" there. `to_js` expresses what each flag means with plain syntax:

- `i`: every cased letter becomes a class of its cases (`a` -> `[aA]`; class members and
  letter ranges gain their other case);
- `s`: `.` -> `[\\s\\S]`; without it `.` -> `[^\\n]` (Python's `.` excludes only `\\n`,
  JavaScript's also `\\r`, U+2028 and U+2029);
- `m`: `^` -> `(?:^|(?<=\\n))`, `$` -> `(?=\\n|$)`; without it `$` -> `(?=\\n?$)` (Python's `$`
  also matches before a final newline); `\\A` -> `^`, `\\Z` -> `$`;
- `x`: unescaped whitespace and `#` comments are dropped;
- `(?P<n>...)` -> `(?<n>...)`, `(?P=n)` -> `\\k<n>`, `{,n}` -> `{0,n}`, `(?#...)` dropped.

What JavaScript cannot say raises `Untranslatable` (conditional groups, atomic groups,
possessive quantifiers, `\\U`/`\\N{}` escapes, the `L` flag). `caveats` lists what still
differs: `\\w`, `\\d` and `\\b` match ASCII only in JavaScript, Unicode in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FLAG_GROUP = re.compile(r"\(\?([aiLmsux]+)\)")
_QUANT = re.compile(r"\{(\d*)(,?)(\d*)\}")
_UNICODE_CLASSES = "wWdDbB"


class Untranslatable(ValueError):
    """The pattern uses a feature JavaScript's RegExp (without flags) cannot express."""


@dataclass
class _State:
    """The pattern being read, its position, the output and what was noticed."""

    src: str
    pos: int = 0
    out: list[str] = field(default_factory=list)
    caveats: set[str] = field(default_factory=set)
    ascii: bool = False

    def peek(self, n: int = 1) -> str:
        """The next `n` characters of the pattern."""
        return self.src[self.pos:self.pos + n]


def _cases(ch: str) -> list[str]:
    """`ch` and its other single-character cases, in a stable order."""
    out = [ch]
    for c in (ch.lower(), ch.upper(), ch.swapcase()):
        if len(c) == 1 and c not in out:
            out.append(c)
    return out


def _literal(ch: str, flags: str) -> str:
    """One literal character of the pattern (already unescaped where that was safe)."""
    if "i" in flags:
        cases = _cases(ch)
        if len(cases) > 1:
            return "[" + "".join(cases) + "]"
    return ch


def _escape(st: _State, in_class: bool) -> str:
    """The escape at `st.pos` (a backslash), translated; moves past it."""
    esc = st.src[st.pos + 1:st.pos + 2]
    if not esc:
        raise Untranslatable("a pattern cannot end with a backslash")
    st.pos += 2
    if esc in "UN":
        raise Untranslatable(f"\\{esc} escapes have no JavaScript equivalent without the u flag")
    if esc == "A" and not in_class:
        return "^"
    if esc == "Z" and not in_class:
        return "$"
    if esc == "a":
        return "\\x07"  # Python's bell; JavaScript reads \\a as a plain 'a'
    if esc in _UNICODE_CLASSES and not st.ascii and not (in_class and esc == "b"):
        st.caveats.add(f"\\{esc} matches ASCII only in JavaScript (Unicode in Python)")
    if esc == "x":
        code = st.src[st.pos:st.pos + 2]
        st.pos += 2
        return "\\x" + code
    if esc == "u":
        code = st.src[st.pos:st.pos + 4]
        st.pos += 4
        return "\\u" + code
    return "\\" + esc


def _class(st: _State, flags: str) -> str:
    """A character class `[...]` starting at `st.pos`; letters gain their other case under i."""
    st.pos += 1
    out = ["["]
    if st.peek() == "^":
        out.append("^")
        st.pos += 1
    if st.peek() == "]":  # a leading ']' is literal in Python, an empty class in JavaScript
        out.append("\\]")
        st.pos += 1
    extra: list[str] = []
    while st.pos < len(st.src) and st.peek() != "]":
        if st.peek() == "\\":
            out.append(_escape(st, in_class=True))
            continue
        ch = st.peek()
        if st.src[st.pos + 1:st.pos + 2] == "-" and st.src[st.pos + 2:st.pos + 3] not in ("]", ""):
            hi = st.src[st.pos + 2]
            if hi == "\\":
                raise Untranslatable("a class range ending in an escape is not translated")
            out.append(f"{ch}-{hi}")
            st.pos += 3
            if "i" in flags and ch.isalpha() and hi.isalpha():
                if ch.isascii() and hi.isascii() and ch.islower() == hi.islower():
                    extra.append(f"{ch.swapcase()}-{hi.swapcase()}")
                else:
                    st.caveats.add(f"the range {ch}-{hi} is not case-folded")
            continue
        out.append(ch)
        st.pos += 1
        if "i" in flags:
            extra += [c for c in _cases(ch)[1:] if c not in out and c not in extra]
    if st.pos >= len(st.src):
        raise Untranslatable("unterminated character class")
    st.pos += 1
    return "".join(out + extra) + "]"


def _scoped_flags(spec: str, flags: str) -> str:
    """The flags inside `(?on-off:...)`."""
    on, _, off = spec.partition("-")
    if "L" in on or "u" in off:
        raise Untranslatable(f"(?{spec}:...) cannot be expressed")
    return "".join(sorted((set(flags) | set(on)) - set(off)))


def _group(st: _State, flags: str, stack: list[str]) -> str:
    """The opening of a group at `st.pos`; pushes the flags that hold inside it."""
    rest = st.src[st.pos:]
    for prefix, js in (("(?:", "(?:"), ("(?=", "(?="), ("(?!", "(?!"), ("(?<=", "(?<="), ("(?<!", "(?<!")):
        if rest.startswith(prefix):
            st.pos += len(prefix)
            stack.append(flags)
            return js
    m = re.match(r"\(\?P<(\w+)>", rest)
    if m:
        st.pos += m.end()
        stack.append(flags)
        return f"(?<{m.group(1)}>"
    m = re.match(r"\(\?([aiLmsux]*(?:-[imsx]+)?):", rest)
    if m:
        st.pos += m.end()
        stack.append(_scoped_flags(m.group(1), flags))
        return "(?:"
    if rest.startswith("(?("):
        raise Untranslatable("conditional groups (?(...)...) have no JavaScript equivalent")
    if rest.startswith("(?>"):
        raise Untranslatable("atomic groups (?>...) have no JavaScript equivalent in Node 20")
    if rest.startswith("(?"):
        raise Untranslatable(f"unsupported group {rest[:4]!r}")
    st.pos += 1
    stack.append(flags)
    return "("


def _quantifier(st: _State) -> str | None:
    """A `{m,n}` quantifier at `st.pos` (JavaScript form), or None when `{` is a literal."""
    m = _QUANT.match(st.src, st.pos)
    if not m or not (m.group(1) or m.group(3)):
        return None
    st.pos = m.end()
    lo, comma, hi = m.group(1) or "0", m.group(2), m.group(3)
    return "{" + lo + comma + hi + "}"


def _step(st: _State, stack: list[str]) -> None:
    """Translate the token at `st.pos`."""
    flags = stack[-1]
    ch = st.peek()
    if "x" in flags and ch in " \t\n\r\f\v":
        st.pos += 1
    elif "x" in flags and ch == "#":
        end = st.src.find("\n", st.pos)
        st.pos = len(st.src) if end < 0 else end + 1
    elif ch == "\\":
        st.out.append(_escape(st, in_class=False))
    elif ch == "[":
        st.out.append(_class(st, flags))
    elif st.src.startswith("(?#", st.pos):
        end = st.src.find(")", st.pos)
        st.pos = len(st.src) if end < 0 else end + 1
    elif st.src.startswith("(?P=", st.pos):
        m = re.match(r"\(\?P=(\w+)\)", st.src[st.pos:])
        if not m:
            raise Untranslatable("malformed (?P=name)")
        st.pos += m.end()
        st.out.append(f"\\k<{m.group(1)}>")
    elif ch == "(":
        st.out.append(_group(st, flags, stack))
    elif ch == ")":
        if len(stack) == 1:
            raise Untranslatable("unbalanced parenthesis")
        stack.pop()
        st.out.append(")")
        st.pos += 1
    else:
        _simple(st, flags)


def _simple(st: _State, flags: str) -> None:
    """Anchors, dot, quantifiers and literal characters."""
    ch = st.peek()
    st.pos += 1
    if ch == ".":
        st.out.append("[\\s\\S]" if "s" in flags else "[^\\n]")
    elif ch == "^":
        st.out.append("(?:^|(?<=\\n))" if "m" in flags else "^")
    elif ch == "$":
        st.out.append("(?=\\n|$)" if "m" in flags else "(?=\\n?$)")
    elif ch in "*+?" or ch == "{":
        if ch == "{":
            st.pos -= 1
            q = _quantifier(st)
            if q is None:
                st.pos += 1
                st.out.append("\\{")
                return
            st.out.append(q)
        else:
            st.out.append(ch)
        if st.peek() == "+":
            raise Untranslatable("possessive quantifiers have no JavaScript equivalent")
        if st.peek() == "?":
            st.out.append("?")
            st.pos += 1
    elif ch == "}":
        st.out.append("\\}")
    else:
        if ord(ch) > 0xFFFF:
            st.caveats.add("a character outside the BMP is two UTF-16 units in JavaScript")
        st.out.append(_literal(ch, flags))


def to_js(pattern: str) -> tuple[str, list[str]]:
    """(a JavaScript RegExp source that behaves as `pattern` does in Python, caveats).

    Raises `Untranslatable` when the pattern needs what JavaScript cannot express, and
    `re.error` when it is not a valid Python pattern."""
    re.compile(pattern)
    flags = ""
    pos = 0
    while (m := _FLAG_GROUP.match(pattern, pos)) is not None:
        flags += m.group(1)
        pos = m.end()
    if "L" in flags:
        raise Untranslatable("the L (locale) flag has no JavaScript equivalent")
    st = _State(pattern, pos=pos, ascii="a" in flags)
    stack = ["".join(sorted(set(flags) & set("imsx")))]
    while st.pos < len(st.src):
        _step(st, stack)
    return "".join(st.out), sorted(st.caveats)


def js_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be exported for JavaScript, or None when it can."""
    try:
        to_js(pattern)
    except Untranslatable as exc:
        return str(exc)
    except re.error:
        return None  # reported as an invalid Python regex already
    return None
