"""Typed run parameters loaded from YAML.

A params file (``params/default.yaml``) names the data, the mapping, the
schemes, the rules, and the model and report settings. Any section may be
written inline or as the path of another YAML file, relative to the params
file: ``playbook: playbooks/retail.yaml``. Paths to data files are resolved
the same way. Every problem is reported at once as a :class:`ParamsError`.

Each section below belongs to one part of segkit; the part's module documents
what the fields mean.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo

from segkit.errors import ParamsError

T = TypeVar("T")


def read_yaml(path: str | Path) -> Any:
    """Read one YAML file, raising :class:`ParamsError` with the path on failure."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise ParamsError(f"params file not found: {path}") from None
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: not valid YAML: {exc}") from None


def _base(info: ValidationInfo) -> Path:
    return Path((info.context or {}).get("base", "."))


def _include(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str) and value.endswith((".yaml", ".yml")):
        return read_yaml(_base(info) / value)
    return value


def _resolve(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, (str, Path)):
        return (_base(info) / value).resolve()
    return value


Included = Annotated[T, BeforeValidator(_include)]
"""A section written inline or as the path of a YAML file."""

ResolvedPath = Annotated[Path, BeforeValidator(_resolve)]
"""A file path, relative to the params file that names it."""


class Model(BaseModel):
    """Base for params sections: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- data
class MappingParams(Model):
    """How a bank's export becomes the canonical customer table.

    Applied in order: ``drop``, ``rename`` (source -> canonical), ``values``
    (per canonical column, raw value -> canonical value), ``scale`` (multiply,
    e.g. tenure in years -> months), ``constants`` (add a column with one
    value). Columns listed in ``features`` are kept as extra model features.
    """

    rename: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[Any, Any]] = Field(default_factory=dict)
    scale: dict[str, float] = Field(default_factory=dict)
    constants: dict[str, Any] = Field(default_factory=dict)
    features: list[str] = Field(default_factory=list)
    drop: list[str] = Field(default_factory=list)


class DataParams(Model):
    """Where the input is and how to read it."""

    path: ResolvedPath | None = None
    mapping: Included[MappingParams] = Field(default_factory=MappingParams)


# ------------------------------------------------------------------------ schemes
class Band(Model):
    """One label of a tier scheme: the interval ``[lower, upper)``."""

    code: str
    zh: str
    en: str
    lower: float
    upper: float | None = None


class Scheme(Model):
    """An ordered set of bands over one numeric column."""

    name: str
    column: str = "aum"
    bands: list[Band]


class SchemesParams(Model):
    """The tier schemes in force (each a file under ``params/schemes/``)."""

    tier: Included[Scheme]
    vip: Included[Scheme]
    corporate: Included[Scheme] | None = None


# ------------------------------------------------------------------------- rules
class AssignmentParams(Model):
    """Book assignment (归户): manager capacity."""

    cap: int = Field(800, gt=0)
    branch_caps: dict[str, int] = Field(default_factory=dict)


# ----------------------------------------------------------------------- cluster
class ClusterParams(Model):
    """Segmenter settings (see :mod:`segkit.cluster`)."""

    features: list[str] | None = None
    k: int | None = None
    k_range: tuple[int, int] = (3, 10)
    sample_size: int = 50_000


# ------------------------------------------------------------------------- churn
class ChurnParams(Model):
    """Churn scorer settings (see :mod:`segkit.churn`)."""

    model: Literal["hgb", "logistic"] = "hgb"
    bands: dict[str, float] = Field(default_factory=lambda: {"high": 0.5, "medium": 0.2})


# ------------------------------------------------------------------------ report
class ReportParams(Model):
    """Report settings (see :mod:`segkit.report`)."""

    language: Literal["zh", "en"] = "zh"
    top_n: int = Field(20, gt=0)


# -------------------------------------------------------------------------- root
class Params(Model):
    """Everything a run needs, besides the data itself."""

    name: str
    as_of: dt.date
    seed: int = 0
    data: DataParams = Field(default_factory=DataParams)
    schemes: SchemesParams
    assignment: Included[AssignmentParams] = Field(default_factory=AssignmentParams)
    cluster: Included[ClusterParams] = Field(default_factory=ClusterParams)
    churn: Included[ChurnParams] = Field(default_factory=ChurnParams)
    report: Included[ReportParams] = Field(default_factory=ReportParams)

    source: Path | None = Field(default=None, exclude=True)
    """The params file this was loaded from (not part of the YAML)."""


def _format_errors(path: Path, error: ValidationError) -> str:
    lines = [f"{path}: {error.error_count()} problem(s) in params"]
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "<root>"
        lines.append(f"  - {where}: {item['msg']}")
    return "\n".join(lines)


def load_params(path: str | Path) -> Params:
    """Load and validate a params file and every file it includes.

    Parameters
    ----------
    path : str or Path
        The params YAML file.

    Returns
    -------
    Params
        The validated parameters; relative paths are resolved against the
        folder of ``path``.

    Raises
    ------
    ParamsError
        If a file is missing, is not YAML, or any value is invalid; the message
        lists every problem with its location.
    """
    path = Path(path).resolve()
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: expected a mapping of sections, got {type(raw).__name__}")
    try:
        params = Params.model_validate(raw, context={"base": path.parent})
    except ValidationError as exc:
        raise ParamsError(_format_errors(path, exc)) from None
    return params.model_copy(update={"source": path})
