"""The banks' playbooks as rules: tiers, levels, classes, matrix, MAN, books, targets.

Row-wise (pure, run per partition): :func:`apply_rules`. Per whole branch:
:func:`assign_books`, :func:`migration_tables` (matrices add up, lists
concatenate). Bank-wide: :func:`target_tables` (:func:`split_targets`,
:func:`target_progress`), :func:`corporate_review`. Every threshold and text
lives in ``params/`` (schemes, rules, playbooks); :func:`rule_problems` checks
the rules against the schemes when the params load.
"""

from segkit.rules.apply import apply_rules, check_rules, rule_columns, rule_inputs, rule_problems
from segkit.rules.assign import BookAssignment, assign_books
from segkit.rules.corporate import CorporateReview, corporate_level, corporate_review
from segkit.rules.migration import migration_lists, migration_matrix, migration_tables
from segkit.rules.playbook import playbook_table, strategy_table
from segkit.rules.schemes import assign_bands, load_scheme, scheme_table
from segkit.rules.targets import (
    load_targets,
    measured_actuals,
    progress_period,
    split_targets,
    target_progress,
    target_tables,
    working_days,
)

__all__ = [
    "BookAssignment",
    "CorporateReview",
    "apply_rules",
    "assign_bands",
    "assign_books",
    "check_rules",
    "corporate_level",
    "corporate_review",
    "load_scheme",
    "load_targets",
    "measured_actuals",
    "migration_lists",
    "migration_matrix",
    "migration_tables",
    "playbook_table",
    "progress_period",
    "rule_columns",
    "rule_inputs",
    "rule_problems",
    "scheme_table",
    "strategy_table",
    "split_targets",
    "target_progress",
    "target_tables",
    "working_days",
]
