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
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

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
    (per canonical column, raw value -> canonical value; a ``null`` key stands
    for a missing value), ``scale`` (multiply, e.g. tenure in years ->
    months), ``constants`` (set a column to one value). ``n_products`` is
    derived from the product flags when absent. Columns listed in ``features``
    are kept as extra model features; other non-canonical columns are dropped,
    except those a rule reads (kept, but not as features). See
    :mod:`segkit.data.mapping`.
    """

    rename: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[Any, Any]] = Field(default_factory=dict)
    scale: dict[str, float] = Field(default_factory=dict)
    constants: dict[str, Any] = Field(default_factory=dict)
    features: list[str] = Field(default_factory=list)
    drop: list[str] = Field(default_factory=list)

    @field_validator("rename")
    @classmethod
    def _one_source_per_target(cls, rename: dict[str, str]) -> dict[str, str]:
        targets = list(rename.values())
        twice = sorted({name for name in targets if targets.count(name) > 1})
        if twice:
            raise ValueError(f"several source columns renamed to {', '.join(twice)}")
        return rename


class DataParams(Model):
    """Where the input is and how to read it."""

    path: ResolvedPath | None = None
    mapping: Included[MappingParams] = Field(default_factory=MappingParams)


# ------------------------------------------------------------------- rule grammar
class Condition(Model):
    """A test on one column: ``column op value`` (or ``column op other × factor``).

    Ops: ``>=``, ``>``, ``<=``, ``<``, ``==``, ``!=``, ``in``, ``not_in``,
    ``between`` (``value: [low, high]``, meaning ``[low, high)``). A missing
    column or value makes the test unknown, never true.
    """

    column: str
    op: Literal[">=", ">", "<=", "<", "==", "!=", "in", "not_in", "between"]
    value: Any = None
    other: str | None = None
    factor: float = 1.0

    @model_validator(mode="after")
    def _check_operand(self) -> Condition:
        if (self.value is None) == (self.other is None):
            raise ValueError(f"condition on '{self.column}': give exactly one of 'value' or 'other'")
        if self.other is not None and self.op not in (">=", ">", "<=", "<", "==", "!="):
            raise ValueError(f"condition on '{self.column}': 'other' works only with comparisons, not '{self.op}'")
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"condition on '{self.column}': '{self.op}' needs a list value")
        if self.op == "between" and not (isinstance(self.value, list) and len(self.value) == 2):
            raise ValueError(f"condition on '{self.column}': 'between' needs value [low, high]")
        return self


class RuleGroup(Model):
    """Combine rules: ``any`` (at least one true) or ``all`` (every one true)."""

    any: list[Rule] | None = None
    all: list[Rule] | None = None

    @model_validator(mode="after")
    def _check_one(self) -> RuleGroup:
        if (self.any is None) == (self.all is None):
            raise ValueError("a rule group needs exactly one of 'any' or 'all'")
        if not (self.any or self.all):
            raise ValueError("a rule group needs at least one rule")
        return self


Rule = Condition | RuleGroup
"""A condition or a group of rules (nested freely)."""


class Text(Model):
    """A phrase in Chinese and English."""

    zh: str
    en: str


# ------------------------------------------------------------------------ schemes
class Band(Model):
    """One label of a tier scheme: the interval ``[lower, upper)``.

    ``upper`` is left out only on the last (open top) band. Codes are the
    stable English keys written into the scored table; ``zh`` and ``en`` are
    display names.
    """

    code: str = Field(min_length=1)
    zh: str
    en: str
    lower: float
    upper: float | None = None
    owner: Text | None = None
    """Who is responsible for customers of this band (e.g. corporate levels)."""


def _scheme_problems(bands: list[Band]) -> list[str]:
    """Every reason an ordered list of bands is not a partition of ``[lower_0, inf)``."""
    if not bands:
        return ["it has no bands"]
    problems: list[str] = []
    codes = [band.code for band in bands]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        problems.append(f"duplicate band codes {duplicates}")
    for band in bands:
        if band.lower < 0 or (band.upper is not None and band.upper < 0):
            problems.append(f"band '{band.code}' has a negative threshold ({band.lower}, {band.upper})")
        if band.upper is not None and band.upper <= band.lower:
            problems.append(f"band '{band.code}' has upper {band.upper} not above its lower {band.lower}")
    for low, high in zip(bands, bands[1:], strict=False):
        if high.lower <= low.lower:
            problems.append(
                f"bands are not sorted: '{high.code}' (lower {high.lower}) comes after "
                f"'{low.code}' (lower {low.lower}); list bands from lowest to highest"
            )
        elif low.upper is None:
            problems.append(f"band '{low.code}' has no upper bound but is not the last band")
        elif low.upper < high.lower:
            problems.append(f"gap between '{low.code}' (upper {low.upper}) and '{high.code}' (lower {high.lower})")
        elif low.upper > high.lower:
            problems.append(f"overlap between '{low.code}' (upper {low.upper}) and '{high.code}' (lower {high.lower})")
    if bands[-1].upper is not None:
        problems.append(
            f"missing open top band: the last band '{bands[-1].code}' ends at {bands[-1].upper}; "
            "leave out its upper so every value gets a band"
        )
    return problems


class Scheme(Model):
    """An ordered set of bands over one numeric column, lowest band first.

    The bands must partition ``[bands[0].lower, inf)``: sorted, no gaps, no
    overlaps, no negative thresholds, unique codes, and an open top band.
    Values below the first band's lower bound get no band (``<NA>``).
    """

    name: str
    column: str = "aum"
    bands: list[Band]

    @model_validator(mode="after")
    def _check_bands(self) -> Scheme:
        problems = _scheme_problems(self.bands)
        if problems:
            raise ValueError(f"scheme '{self.name}' is invalid: " + "; ".join(problems))
        return self

    @property
    def codes(self) -> list[str]:
        """Band codes, lowest first."""
        return [band.code for band in self.bands]


class RuleLevel(Model):
    """A level reached by a rule: a band of the scheme (``when`` also lifts a
    customer to it) or a level above every band (then ``zh`` and ``en`` are needed)."""

    code: str = Field(min_length=1)
    zh: str | None = None
    en: str | None = None
    owner: Text | None = None
    when: Rule


class LevelScheme(Scheme):
    """A scheme whose levels come from bands and from rules (corporate levels).

    A customer's level is the highest of its band and of every ``by_rule``
    level whose rule holds. ``by_rule`` levels that are not bands rank above
    every band, in the order listed (lowest first).
    """

    by_rule: list[RuleLevel] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_rule_levels(self) -> LevelScheme:
        bands = set(super().codes)
        problems: list[str] = []
        added = [level.code for level in self.by_rule if level.code not in bands]
        twice = sorted({code for code in added if added.count(code) > 1})
        if twice:
            problems.append(f"levels {twice} are listed twice in by_rule")
        for level in self.by_rule:
            if level.code in bands and (level.zh or level.en or level.owner):
                problems.append(f"by_rule level '{level.code}' is a band: give its names and owner on the band")
            if level.code not in bands and not (level.zh and level.en):
                problems.append(f"by_rule level '{level.code}' is not a band, so it needs 'zh' and 'en' names")
        if problems:
            raise ValueError(f"scheme '{self.name}' is invalid: " + "; ".join(problems))
        return self

    @property
    def codes(self) -> list[str]:
        """Band codes, lowest first, then the levels reached only by rule."""
        bands = [band.code for band in self.bands]
        return bands + list(dict.fromkeys(level.code for level in self.by_rule if level.code not in bands))


class MerchantTier(Model):
    """One merchant value tier: met when the measure thresholds are met."""

    code: str = Field(min_length=1)
    zh: str
    en: str
    service: str
    thresholds: dict[str, float] = Field(default_factory=dict)


class ServiceLevel(Model):
    """A merchant service level (a / bcd / e)."""

    code: str = Field(min_length=1)
    zh: str
    en: str


class MerchantScheme(Model):
    """Merchant value tiers over several measures, highest tier first.

    A merchant gets the highest tier whose thresholds it meets: on any one
    measure (``match: any``) or on every measure the tier lists
    (``match: all``). The last tier has no thresholds and takes the rest.
    """

    name: str
    measures: list[str] = Field(min_length=1)
    match: Literal["any", "all"] = "any"
    tiers: list[MerchantTier] = Field(min_length=2)
    services: list[ServiceLevel] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_tiers(self) -> MerchantScheme:
        problems: list[str] = []
        codes = [tier.code for tier in self.tiers]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            problems.append(f"duplicate tier codes {duplicates}")
        services = {service.code for service in self.services}
        for tier in self.tiers:
            if tier.service not in services:
                problems.append(f"tier '{tier.code}' has unknown service '{tier.service}' (known: {sorted(services)})")
            unknown = sorted(set(tier.thresholds) - set(self.measures))
            if unknown:
                problems.append(f"tier '{tier.code}' has thresholds on unknown measures {unknown}")
            negative = sorted(measure for measure, value in tier.thresholds.items() if value < 0)
            if negative:
                problems.append(f"tier '{tier.code}' has negative thresholds on {negative}")
        for tier in self.tiers[:-1]:
            if not tier.thresholds:
                problems.append(f"tier '{tier.code}' has no thresholds but is not the last (floor) tier")
        if self.tiers[-1].thresholds:
            problems.append(f"missing floor tier: the last tier '{self.tiers[-1].code}' must have no thresholds")
        for high, low in zip(self.tiers, self.tiers[1:], strict=False):
            for measure in sorted(set(high.thresholds) & set(low.thresholds)):
                if high.thresholds[measure] <= low.thresholds[measure]:
                    problems.append(
                        f"tiers are not sorted on '{measure}': '{high.code}' ({high.thresholds[measure]}) "
                        f"must be above '{low.code}' ({low.thresholds[measure]}); list tiers highest first"
                    )
        if problems:
            raise ValueError(f"merchant scheme '{self.name}' is invalid: " + "; ".join(problems))
        return self


class SchemesParams(Model):
    """The tier schemes in force (each a file under ``params/schemes/``)."""

    tier: Included[Scheme]
    vip: Included[Scheme]
    corporate: Included[LevelScheme] | None = None
    merchant: Included[MerchantScheme] | None = None


# ------------------------------------------------------------------------- rules
class AssignmentParams(Model):
    """Book assignment (归户): manager capacity and optional rosters.

    ``managers`` is a CSV roster (``branch_id``, ``manager_id``) adding managers
    who hold no customers yet; ``claims`` is a CSV (``customer_id``,
    ``manager_id``) of unassigned customers a manager knows and claims first.
    """

    cap: int = Field(800, gt=0)
    branch_caps: dict[str, Annotated[int, Field(gt=0)]] = Field(default_factory=dict)
    managers: ResolvedPath | None = None
    claims: ResolvedPath | None = None


class ClassRule(Model):
    """A product class (multi-label): a customer is in it when ``when`` holds."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    when: Rule


def _flag_rule(*columns: str) -> RuleGroup:
    return RuleGroup(any=[Condition(column=column, op="==", value=True) for column in columns])


def _default_classes() -> list[ClassRule]:
    return [
        ClassRule(code="wealth", zh="理财类", en="Wealth", when=_flag_rule("has_wealth", "has_fund", "has_insurance")),
        ClassRule(
            code="credit_card",
            zh="信用卡类",
            en="Credit card",
            when=Condition(column="credit_card", op="in", value=["inactive", "active"]),
        ),
        ClassRule(code="payroll", zh="代发薪类", en="Payroll", when=_flag_rule("has_payroll")),
        ClassRule(
            code="merchant",
            zh="商贸类",
            en="Merchant",
            when=RuleGroup(
                any=[
                    Condition(column="has_pos", op="==", value=True),
                    Condition(column="customer_type", op="==", value="merchant"),
                ]
            ),
        ),
        ClassRule(code="fx", zh="结售汇类", en="FX", when=_flag_rule("has_fx")),
    ]


class FamiliarityParams(Model):
    """Familiarity 熟悉程度 from contact frequency AND KYC completeness.

    Each input is graded 0, 1 or 2 against its two thresholds (``[semi,
    familiar)``); the grades are added. A sum of at least ``familiar_from`` is
    familiar, at least ``semi_from`` semi-familiar, anything lower unfamiliar.
    A customer missing either input gets no familiarity.
    """

    contacts: tuple[float, float] = (2, 6)
    kyc: tuple[float, float] = (0.4, 0.7)
    familiar_from: int = Field(3, ge=1, le=4)
    semi_from: int = Field(2, ge=1, le=4)

    @model_validator(mode="after")
    def _check_order(self) -> FamiliarityParams:
        for name in ("contacts", "kyc"):
            low, high = getattr(self, name)
            if not 0 <= low < high:
                raise ValueError(f"familiarity.{name}: thresholds must be non-negative and ascending, got {low}, {high}")
        if self.semi_from >= self.familiar_from:
            raise ValueError("familiarity: semi_from must be below familiar_from")
        return self


class MatrixParams(Model):
    """The three-split matrix: asset levels from tier codes, and familiarity."""

    asset_levels: dict[Literal["high", "mid", "low"], list[str]] = Field(
        default_factory=lambda: {"high": ["key", "core"], "mid": ["quality"], "low": ["mass", "potential"]}
    )
    familiarity: FamiliarityParams = Field(default_factory=FamiliarityParams)


def _default_money() -> Rule:
    return RuleGroup(
        any=[
            Condition(column="aum", op=">=", value=300_000),
            Condition(column="income", op=">=", value=200_000),
        ]
    )


def _default_authority() -> Rule:
    return RuleGroup(
        any=[
            Condition(column="age", op="between", value=[22, 70]),
            Condition(column="customer_type", op="==", value="merchant"),
        ]
    )


def _default_need() -> Rule:
    return RuleGroup(
        any=[
            Condition(column="n_products", op="<=", value=1),
            Condition(column="aum", op="<", other="aum_prev", factor=0.8),
            Condition(column="months_inactive", op=">=", value=3),
        ]
    )


class ManParams(Model):
    """MAN: how each letter (Money, Authority, Need) is read from the data."""

    money: Rule = Field(default_factory=_default_money)
    authority: Rule = Field(default_factory=_default_authority)
    need: Rule = Field(default_factory=_default_need)


class PlaybookAction(Model):
    """One action of the playbook: what to offer, through which channel, how often."""

    title: Text
    products: Text
    channel: Text
    cadence: Text


class PlaybookRule(Model):
    """Pick ``action`` for the customers for whom ``when`` holds."""

    when: Rule
    action: str


class PlaybookParams(Model):
    """The playbook: actions, and ordered rules choosing one per customer.

    The first rule that holds wins; customers no rule catches get ``default``.
    ``matrix`` holds the strategy of each three-split group (e.g. ``high-unfamiliar``),
    ``man`` that of each MAN group (e.g. ``M-a-N``).
    """

    name: str
    actions: dict[str, PlaybookAction] = Field(min_length=1)
    rules: list[PlaybookRule] = Field(default_factory=list)
    default: str
    matrix: dict[str, Text] = Field(default_factory=dict)
    man: dict[str, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_keys(self) -> PlaybookParams:
        unknown = sorted({rule.action for rule in self.rules} - set(self.actions))
        if self.default not in self.actions:
            unknown.append(self.default)
        if unknown:
            raise ValueError(f"playbook '{self.name}': unknown actions {unknown} (defined: {sorted(self.actions)})")
        groups = {f"{a}-{f}" for a in ("high", "mid", "low") for f in ("familiar", "semi", "unfamiliar")}
        bad = sorted(set(self.matrix) - groups)
        if bad:
            raise ValueError(f"playbook '{self.name}': unknown matrix groups {bad} (known: {sorted(groups)})")
        man = {f"{m}-{a}-{n}" for m in "Mm" for a in "Aa" for n in "Nn"}
        bad = sorted(set(self.man) - man)
        if bad:
            raise ValueError(f"playbook '{self.name}': unknown MAN groups {bad} (known: {sorted(man)})")
        return self


class TargetParams(Model):
    """Annual targets per branch (``annual`` inline, or a CSV ``path`` with
    ``branch_id,target``) and the working-day calendar: Monday to Friday, less
    ``holidays``, plus ``extra_workdays`` (weekend make-up days).

    What was achieved comes either from ``actuals``, a CSV (``branch_id``,
    ``actual`` and, to rank managers, ``manager_id``) for ``period`` (a period
    label such as ``2026-Q3`` or ``2026-09``; by default the year to the run's
    ``as_of``), or from the snapshot itself with ``measure: aum_growth``: the
    net new assets (``aum - aum_prev``) of each manager's book over the
    quarter that ends at ``as_of`` (``period`` defaults to that quarter).
    """

    annual: dict[str, float] = Field(default_factory=dict)
    path: ResolvedPath | None = None
    actuals: ResolvedPath | None = None
    measure: Literal["aum_growth"] | None = None
    period: str | None = None
    holidays: list[dt.date] = Field(default_factory=list)
    extra_workdays: list[dt.date] = Field(default_factory=list)
    bottom_n: int = Field(5, gt=0)

    @model_validator(mode="after")
    def _one_source_of_actuals(self) -> TargetParams:
        if self.actuals is not None and self.measure is not None:
            raise ValueError("targets: give either 'actuals' (a CSV) or 'measure', not both")
        return self


class CorporateReviewParams(Model):
    """Loan-customer review 回头看: fund return rate and e-banking standards.

    A customer meets the fund standard when ``fund_return_rate`` is at least
    ``fund_return_min`` or, where ``share_column`` exists and is set (the
    bank's financing share when it is not the only lender), at least that share.
    """

    fund_return_min: float = Field(0.70, ge=0, le=1)
    share_column: str = "financing_share"
    e_products_min: int = Field(2, ge=0)
    bottom_n: int = Field(5, gt=0)


class RulesParams(Model):
    """Product classes, the three-split matrix, MAN, playbook, targets, reviews."""

    classes: list[ClassRule] = Field(default_factory=_default_classes, max_length=12)
    matrix: MatrixParams = Field(default_factory=MatrixParams)
    man: ManParams = Field(default_factory=ManParams)
    playbook: Included[PlaybookParams] | None = None
    corporate_review: CorporateReviewParams = Field(default_factory=CorporateReviewParams)

    @model_validator(mode="after")
    def _check_classes(self) -> RulesParams:
        codes = [rule.code for rule in self.classes]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"rules.classes: duplicate class codes {duplicates}")
        return self


# ----------------------------------------------------------------------- cluster
class ClusterParams(Model):
    """Segmenter settings (see :class:`segkit.cluster.Segmenter`).

    ``features`` default to the canonical ones present in the data;
    ``k: null`` chooses k by silhouette and bootstrap stability over
    ``k_range``.
    """

    features: list[str] | None = None
    categorical: list[str] | None = None
    algorithm: Literal["kmeans", "gmm", "kprototypes"] = "kmeans"
    k: int | None = Field(None, ge=2)
    k_range: tuple[int, int] = (3, 10)
    sample_size: int = Field(50_000, gt=0)
    selection_size: int = Field(5_000, gt=0)
    silhouette_size: int = Field(2_000, gt=0)
    n_bootstrap: int = Field(4, gt=0)
    min_stability: float = Field(0.85, ge=0.0, le=1.0)

    @field_validator("k_range")
    @classmethod
    def _k_range_ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not 2 <= value[0] <= value[1]:
            raise ValueError(f"k_range must satisfy 2 <= low <= high, got {list(value)}")
        return value


# ------------------------------------------------------------------------- churn
class ChurnBands(Model):
    """Cut points of the churn bands: ``high`` if score >= high, ``medium`` if >= medium."""

    high: float = Field(0.5, gt=0, lt=1)
    medium: float = Field(0.2, gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> ChurnBands:
        if not self.medium < self.high:
            raise ValueError(f"medium ({self.medium}) must be below high ({self.high})")
        return self


class BoostingParams(Model):
    """Gradient-boosting settings of every ensemble member (early stopping on 10% of its training rows)."""

    learning_rate: float = Field(0.1, gt=0, le=1)
    max_leaf_nodes: int = Field(8, ge=2)
    min_samples_leaf: int = Field(20, ge=1)
    l2_regularization: float = Field(1.0, ge=0)
    max_iter: int = Field(500, ge=1)
    n_iter_no_change: int = Field(30, ge=1)


class HeuristicWeights(Model):
    """Weights of the early-warning signals used when there is no ``churned`` label."""

    inactivity: float = Field(0.4, ge=0)
    assets_falling: float = Field(0.3, ge=0)
    few_products: float = Field(0.15, ge=0)
    contact_lost: float = Field(0.15, ge=0)


class DormantRule(Model):
    """Dormant customers (睡眠客户): long inactivity, assets still held."""

    months_inactive: int = Field(6, ge=1, le=12)
    min_aum: float = Field(10_000.0, ge=0)


class FeatureLabel(Model):
    """How the churn reasons name an extra feature, in English and Chinese."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class ChurnParams(Model):
    """Churn scorer settings (see :mod:`segkit.churn`)."""

    model: Literal["hgb", "logistic"] = "hgb"
    calibration: Literal["sigmoid", "isotonic", "none"] = "sigmoid"
    cv_folds: int = Field(5, ge=2, le=20)
    """Folds of the honest evaluation: cross-fitted members of a small bank, a held-out
    ``1/cv_folds`` share of a large one."""
    sample_size: int = Field(200_000, ge=1_000)
    """At most this many customers (a seeded, stratified sample) fit the model."""
    average_members_below: int = Field(50_000, ge=0)
    """With fewer customers fitted than this, ``cv_folds`` cross-fitted members score (their mean
    varies less than one model, at ``cv_folds`` evaluations per customer); from it, one member
    fitted without a held-out fold (one fit instead of ``cv_folds``); 0: always one member."""
    bands: ChurnBands = Field(default_factory=ChurnBands)
    boosting: BoostingParams = Field(default_factory=BoostingParams)
    monotonic: dict[str, Literal[-1, 1]] = Field(default_factory=lambda: {"months_inactive": 1, "aum_change": -1})
    """Features whose effect on risk may only rise (1) or fall (-1)."""
    heuristic: HeuristicWeights = Field(default_factory=HeuristicWeights)
    dormant: DormantRule = Field(default_factory=DormantRule)
    labels: dict[str, FeatureLabel] = Field(default_factory=dict)
    """Plain-word names of the mapping's extra features (e.g. ``IsActiveMember``) in the reasons
    and the drivers; wording only, the model does not read them."""


# ------------------------------------------------------------------------ report
class ReportParams(Model):
    """Report settings (see :mod:`segkit.report`)."""

    language: Literal["zh", "en"] = "zh"
    top_n: int = Field(20, gt=0)


# ------------------------------------------------------------------------- scale
class ScaleParams(Model):
    """How much is read and fitted at once (see :mod:`segkit.stages`).

    Models are fitted on a sample of at most ``fit_sample`` customers chosen by
    a seeded hash of ``customer_id``, so every engine fits on the same rows.
    Input is read ``batch_rows`` rows at a time, which bounds memory.
    """

    fit_sample: int = Field(200_000, gt=0)
    batch_rows: int = Field(1_000_000, gt=0)


# -------------------------------------------------------------------------- root
class Params(Model):
    """Everything a run needs, besides the data itself."""

    name: str
    as_of: dt.date
    seed: int = 0
    data: DataParams = Field(default_factory=DataParams)
    schemes: SchemesParams
    assignment: Included[AssignmentParams] = Field(default_factory=AssignmentParams)
    rules: Included[RulesParams] = Field(default_factory=RulesParams)
    targets: Included[TargetParams] = Field(default_factory=TargetParams)
    cluster: Included[ClusterParams] = Field(default_factory=ClusterParams)
    churn: Included[ChurnParams] = Field(default_factory=ChurnParams)
    report: Included[ReportParams] = Field(default_factory=ReportParams)
    scale: Included[ScaleParams] = Field(default_factory=ScaleParams)

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
        If a file is missing, is not YAML, any value is invalid, or the rules
        do not fit the schemes (:func:`segkit.rules.apply.rule_problems`); the
        message lists every problem with its location.
    """
    path = Path(path).resolve()
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: expected a mapping of sections, got {type(raw).__name__}")
    try:
        params = Params.model_validate(raw, context={"base": path.parent})
    except ValidationError as exc:
        raise ParamsError(_format_errors(path, exc)) from None
    from segkit.rules.apply import rule_problems  # the rules read the schemes; checked once both are loaded

    problems = rule_problems(params)
    if problems:
        raise ParamsError("\n".join([f"{path}: {len(problems)} problem(s) in the rules", *(f"  - {p}" for p in problems)]))
    return params.model_copy(update={"source": path})
