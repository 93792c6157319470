"""The customer data: read and map a bank's export, validate it, or draw a demo bank.

- :mod:`segkit.data.schema`: the canonical customer table and its validation.
- :mod:`segkit.data.mapping`: a bank's columns and values to canonical ones.
- :mod:`segkit.data.io`: read CSV / Parquet, write tables, load = read + map + validate.
- :mod:`segkit.data.synth`: a seeded synthetic bank for demos and tests.
"""
