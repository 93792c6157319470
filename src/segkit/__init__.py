"""segkit: know a bank's customers.

Tiers customers by assets, classifies them by the products they use, clusters
them beyond the fixed rules, scores churn risk with reasons, and publishes one
executed report per branch.
"""

__version__ = "0.1.0"
