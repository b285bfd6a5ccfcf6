"""The prompt file format: pydantic models of the YAML front matter and of `.tests.yaml`.

Unknown keys are errors everywhere (`extra="forbid"`): a typo must not be silently ignored.
`prompts/front-matter.schema.json` is generated from `FrontMatter` (see `front_matter_schema`).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.schema import Task

PROMPT_SUFFIX = ".prompt.md"
TESTS_SUFFIX = ".tests.yaml"
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
VAR_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
SEMVER_PATTERN = r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _type_ok(var_type: str, value: Any) -> bool:
    """Whether `value` is of the variable type `var_type` (a bool is not a number)."""
    if var_type == "string":
        return isinstance(value, str)
    if var_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if var_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if var_type == "boolean":
        return isinstance(value, bool)
    if var_type == "list":
        return isinstance(value, list)
    return False


class Variable(_Strict):
    """One template variable."""

    type: Literal["string", "integer", "number", "boolean", "list"] = "string"
    description: str = ""
    required: bool = True
    default: Any = None
    allowed: list[Any] | None = Field(default=None, min_length=1)
    max_tokens: int | None = Field(default=None, gt=0, description="worst-case size in tokens")

    @model_validator(mode="after")
    def _consistent(self) -> "Variable":
        """The default and the allowed values are of the declared type, the default allowed."""
        if self.default is not None and not _type_ok(self.type, self.default):
            raise ValueError(f"default {self.default!r} is not a {self.type}")
        if self.allowed is not None:
            for value in self.allowed:
                if not _type_ok(self.type, value):
                    raise ValueError(f"allowed value {value!r} is not a {self.type}")
            if self.default is not None and self.default not in self.allowed:
                raise ValueError(f"default {self.default!r} is not one of allowed {self.allowed}")
        return self


class Output(_Strict):
    format: Literal["text", "markdown", "json", "code"] = "text"
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Params(_Strict):
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    max_output_tokens: int | None = Field(default=None, gt=0)
    stop: list[str] | None = None
    seed: int | None = None


class Models(_Strict):
    tested_on: list[str] = Field(default_factory=list)
    avoid: list[str] = Field(default_factory=list)


class FrontMatter(_Strict):
    """The YAML front matter of a `.prompt.md` file."""

    id: str = Field(pattern=ID_PATTERN, description="unique across the library")
    version: str = Field(pattern=SEMVER_PATTERN, description="semver, as a string")
    title: str = Field(min_length=1)
    task: Task
    kind: Literal["system", "template", "example", "guardrail"]
    description: str = ""
    owners: list[str] = Field(default_factory=list)
    status: Literal["draft", "active", "deprecated"] = "active"
    variables: dict[str, Variable] = Field(default_factory=dict)
    output: Output = Field(default_factory=Output)
    params: Params = Field(default_factory=Params)
    models: Models = Field(default_factory=Models)
    tags: list[str] = Field(default_factory=list)

    @field_validator("variables")
    @classmethod
    def _names(cls, value: dict[str, Variable]) -> dict[str, Variable]:
        """Variable names are identifiers (Jinja could not use them otherwise)."""
        import re

        for name in value:
            if not re.match(VAR_NAME_PATTERN, str(name)):
                raise ValueError(f"variable name {name!r} is not an identifier")
        return value


class Assertion(_Strict):
    """One promptfoo-style assertion on the MODEL OUTPUT."""

    type: Literal["contains", "icontains", "not-contains", "regex", "not-regex", "equals",
                  "starts-with", "is-json", "json_schema"]
    value: Any = None


class TestCase(_Strict):
    __test__ = False  # not a pytest class

    name: str = Field(min_length=1)
    vars: dict[str, Any] = Field(default_factory=dict)
    assert_: list[Assertion] = Field(default_factory=list, alias="assert")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TestsFile(_Strict):
    """A `<name>.tests.yaml` file next to a prompt."""

    __test__ = False

    cases: list[TestCase] = Field(min_length=1)


def front_matter_schema() -> dict[str, Any]:
    """The JSON schema of the front matter (the content of prompts/front-matter.schema.json)."""
    schema = FrontMatter.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Advisor prompt front matter"
    return schema


def front_matter_schema_json() -> str:
    """The schema as the text of prompts/front-matter.schema.json (stable key order)."""
    return json.dumps(front_matter_schema(), indent=2, sort_keys=True) + "\n"
