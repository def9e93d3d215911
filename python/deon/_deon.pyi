"""Type stubs for Deon's native module (re-exported by ``deon``)."""

import datetime
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, Optional, Union, overload

__version__: str

Case = Union[Mapping[str, Any], str, bytes, os.PathLike[str]]
"""A dict of facts, JSON/YAML/TOML text (``str`` or ``bytes``), or a path."""

Date = Union[datetime.date, str]
"""A ``datetime.date`` or a ``"YYYY-MM-DD"`` string."""

Explain = Literal["none", "failing", "all"]
"""How much explanation reports carry: ``"failing"`` (the default) explains only findings that fail or need review, ``"all"`` every finding, ``"none"`` none; as ``deon eval --explain``."""

Format = Literal["json", "yaml", "toml"]

class Diagnostic:
    """One problem, as the command line reports it."""

    code: Optional[str]
    """A stable code such as ``"deon::case::wrong_type"``."""
    message: str
    """What is wrong, in one sentence."""
    help: Optional[str]
    """What to do about it, when Deon can say."""
    file: Optional[str]
    """The file, or the name given to text (``"<case>"``)."""
    line: Optional[int]
    """The line, from 1."""
    column: Optional[int]
    """The column in characters, from 1."""
    severity: Literal["error", "warning", "advice"]
    rendered: str
    """The problem drawn as the command line draws it (no colour); also ``str(d)``."""

class DeonError(Exception):
    """Base of the errors Deon raises; ``str(e)`` is every problem, rendered."""

    diagnostics: list[Diagnostic]
    """Every problem found, in order."""
    code: Optional[str]
    message: Optional[str]
    help: Optional[str]
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    index: int
    """In ``Policy.batch`` only: the case's position in the input, from 0."""

class PolicyError(DeonError):
    """The policies could not be loaded."""

class CaseError(DeonError):
    """A case could not be read."""

class Batch(Iterator[Any]):
    """The iterator ``Policy.batch`` returns: one result per case, in order."""

    def __iter__(self) -> "Batch": ...
    def __next__(self) -> Any: ...

class Policy:
    """A checked policy set. Immutable; share one instance between threads."""

    @staticmethod
    def load(paths: Union[str, os.PathLike[str], Iterable[Union[str, os.PathLike[str]]]]) -> "Policy":
        """Load every ``.deon`` file under each path, with the holiday calendars beside them."""
    @staticmethod
    def from_sources(sources: Union[Mapping[str, str], Iterable[tuple[str, str]]]) -> "Policy":
        """Check policies held in memory, ``{name: text}``; ``.toml`` names are holiday calendars."""
    @property
    def warnings(self) -> list[Diagnostic]:
        """Warnings found while checking (they do not stop the load)."""
    def sources(self) -> dict[str, str]:
        """The text the policy set was checked from; ``Policy.from_sources`` rebuilds it."""
    def summary(self) -> dict[str, Any]:
        """Files, regulations, rules, penalties, roles, definitions, facts, records and the fact schema."""
    def evaluate(
        self,
        case: Case,
        as_of: Optional[Date] = None,
        explain: Explain = "failing",
        format: Optional[Format] = None,
    ) -> dict[str, Any]:
        """The case's report, as ``deon eval --format json`` prints it, as Python data."""
    def decide(
        self,
        case: Case,
        as_of: Optional[Date] = None,
        format: Optional[Format] = None,
    ) -> dict[str, Any]:
        """Statuses, due dates and exposure per rule, without the report's text."""
    @overload
    def batch(
        self,
        cases: Iterable[Case],
        *,
        as_of: Optional[Date] = None,
        explain: Explain = "failing",
        result: Literal["report", "verdicts", "verdicts+json"] = "report",
        errors: Literal["raise"] = "raise",
        threads: Optional[int] = None,
    ) -> Iterator[dict[str, Any]]: ...
    @overload
    def batch(
        self,
        cases: Iterable[Case],
        *,
        as_of: Optional[Date] = None,
        explain: Explain = "failing",
        result: Literal["json"],
        errors: Literal["raise"] = "raise",
        threads: Optional[int] = None,
    ) -> Iterator[str]: ...
    @overload
    def batch(
        self,
        cases: Iterable[Case],
        *,
        as_of: Optional[Date] = None,
        explain: Explain = "failing",
        result: Literal["report", "json", "verdicts", "verdicts+json"] = "report",
        errors: Literal["return"],
        threads: Optional[int] = None,
    ) -> Iterator[Union[dict[str, Any], str, CaseError]]: ...
