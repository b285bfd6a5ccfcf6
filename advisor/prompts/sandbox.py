"""The bounded Jinja2 environment prompt bodies render in, and the static checks lint runs.

A prompt library is reviewed in pull requests and rendered in CI, so a hostile or careless body
must not read files or take the runner down:

- the loader sees nothing outside the library: the prompt format has no include, import or
  extends (a prompt is one file), so `{% include %}`, `{% import %}`, `{% from %}` and
  `{% extends %}` find no template, whatever the name (`/etc/passwd`, `../x`);
- `*` and `**` on strings, lists and numbers are checked before they run (a 300 MB string is
  refused, not built); `range` is bounded by the sandbox;
- recursion is bounded (a recursive macro is an error, not a crash);
- the output is streamed and stops at a limit: from the body, the values and the declared
  `max_tokens` of the variables, under a global cap.

`static_issues` finds the first three in the template's syntax tree, each with its body line.
"""

from __future__ import annotations

import operator
import sys
import traceback
from collections.abc import Iterable
from typing import Any

from advisor.errors import InputError

GLOBAL_OUTPUT_CAP = 2_000_000  # characters: ~500k tokens, far past any context window
CHARS_PER_TOKEN = 8  # generous: a declared max_tokens of a variable, in characters
MAX_SEQUENCE = 1_000_000  # the longest string or list `*` may build
MAX_POWER_BITS = 4096  # the largest number `**` may build


class RenderLimit(InputError):
    """A render stopped at a bound; `line` is the body line, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _size(x: Any) -> int | None:
    return len(x) if isinstance(x, (str, list, tuple, bytes)) else None


def _checked_mul(a: Any, b: Any) -> Any:
    for seq, n in ((a, b), (b, a)):
        size = _size(seq)
        if size is not None and isinstance(n, int) and size * max(n, 0) > MAX_SEQUENCE:
            raise RenderLimit(f"'*' would build {size * n:,} items (limit {MAX_SEQUENCE:,})")
    return operator.mul(a, b)


def _checked_pow(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int) and abs(a) > 1 and b > 0 and b * abs(a).bit_length() > MAX_POWER_BITS:
        raise RenderLimit(f"'**' would build a number of ~{b * abs(a).bit_length():,} bits (limit {MAX_POWER_BITS:,})")
    return operator.pow(a, b)


def make_environment() -> Any:
    """The sandboxed environment: StrictUndefined, no loader reaching files, checked `*`/`**`."""
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class Bounded(SandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
            if operator_ == "*":
                return _checked_mul(left, right)
            if operator_ == "**":
                return _checked_pow(left, right)
            return super().call_binop(context, operator_, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            _check_widths(args, kwargs)  # 'a'.center(10**9), 'x'.zfill(...)
            return super().call(__context, __obj, *args, **kwargs)

    env = Bounded(
        loader=FunctionLoader(lambda name: None),  # nothing to include: TemplateNotFound
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    for name in ("center", "indent", "wordwrap", "truncate"):  # filters that take a width
        env.filters[name] = _width_checked(env.filters[name])
    return env


def _check_widths(args: Iterable[Any], kwargs: dict[str, Any]) -> None:
    for v in (*args, *kwargs.values()):
        if isinstance(v, int) and not isinstance(v, bool) and v > MAX_SEQUENCE:
            raise RenderLimit(f"a width or count of {v:,} (limit {MAX_SEQUENCE:,})")


def _width_checked(f: Any) -> Any:
    import functools

    @functools.wraps(f)
    def checked(*args: Any, **kwargs: Any) -> Any:
        _check_widths(args[1:], kwargs)
        return f(*args, **kwargs)

    return checked


def output_limit(body: str, values: dict[str, Any], max_tokens: Iterable[int | None] = ()) -> int:
    """The most characters a render may write: the body and its values a few times over,
    plus the declared `max_tokens` of the variables, under the global cap."""
    given = sum(len(str(v)) for v in values.values())
    declared = sum(n or 0 for n in max_tokens) * CHARS_PER_TOKEN
    return min(GLOBAL_OUTPUT_CAP, 65_536 + 8 * len(body) + 8 * given + declared)


def template_line(exc: BaseException) -> int | None:
    """The body line an exception was raised at (Jinja maps its frames to `<template>`)."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return lines[-1] if lines else None


def bounded_render(tmpl: Any, context: dict[str, Any], limit: int) -> str:
    """Render `tmpl`, streamed, stopping at `limit` characters; the sandbox's bounds, a missing
    template and too deep a recursion are `RenderLimit`s with the body line."""
    from jinja2 import TemplateNotFound

    parts: list[str] = []
    n = 0
    old = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(min(old, 2000))
        for piece in tmpl.generate(**context):
            n += len(piece)
            if n > limit:
                raise RenderLimit(f"output longer than the limit of {limit:,} characters")
            parts.append(piece)
    except RenderLimit as exc:
        exc.line = exc.line or template_line(exc)
        raise
    except TemplateNotFound as exc:
        raise RenderLimit(f"cannot include, import or extend '{exc.name}': a prompt is one file "
                          "(templates see no other file)", template_line(exc)) from None
    except RecursionError as exc:
        raise RenderLimit("recursion too deep (a macro that calls itself?)", template_line(exc)) from None
    finally:
        sys.setrecursionlimit(old)
    return "".join(parts)


def static_issues(ast: Any) -> list[tuple[int, str]]:
    """(body line, message) for what the format forbids: include, import, from-import, extends,
    and a macro that calls itself."""
    from jinja2 import nodes

    out: list[tuple[int, str]] = []
    kinds = ((nodes.Include, "include"), (nodes.Import, "import"), (nodes.FromImport, "import"),
             (nodes.Extends, "extends"))
    for cls, word in kinds:
        for node in ast.find_all(cls):
            target = node.template.value if isinstance(node.template, nodes.Const) else "..."
            out.append((node.lineno, f"'{{% {word} %}}' of '{target}': a prompt is one file; templates "
                                     "cannot include, import or extend other files"))
    for macro in ast.find_all(nodes.Macro):
        for call in macro.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == macro.name:
                out.append((call.lineno, f"recursive macro '{macro.name}': it calls itself (recursion is bounded)"))
                break
    return sorted(out)
