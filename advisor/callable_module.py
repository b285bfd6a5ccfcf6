"""A package that can be called like its main function: `advisor.predict(...)` and
`advisor.recommend(...)` stay function calls even after `import advisor.predict` has bound the
package itself as the attribute of `advisor`."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def make_callable(module_name: str, target: Callable[[], Callable[..., Any]]) -> None:
    """Calling the module calls `target()` (looked up at call time, so it can import lazily)."""

    class _CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return target()(*args, **kwargs)

    sys.modules[module_name].__class__ = _CallableModule
