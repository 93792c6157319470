"""The banks' playbooks as rules: tiers, levels, classes, matrix, MAN, books, targets.

Row-wise (pure, run per partition): :func:`apply_rules`. Bank-wide:
:func:`assign_books`, :func:`migration_matrix` / :func:`migration_lists`,
:func:`split_targets` / :func:`target_progress`, :func:`corporate_review`.
Every threshold and text lives in ``params/`` (schemes, rules, playbooks).
"""

from segkit.rules.apply import apply_rules, check_rules, rule_columns
from segkit.rules.assign import BookAssignment, assign_books
from segkit.rules.corporate import CorporateReview, corporate_level, corporate_review
from segkit.rules.migration import migration_lists, migration_matrix
from segkit.rules.playbook import playbook_table
from segkit.rules.schemes import assign_bands, load_scheme, scheme_table
from segkit.rules.targets import load_targets, split_targets, target_progress, working_days

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
    "migration_lists",
    "migration_matrix",
    "playbook_table",
    "rule_columns",
    "scheme_table",
    "split_targets",
    "target_progress",
    "working_days",
]
