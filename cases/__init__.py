"""Application services: one function per command and per query, authorization, transactions.

The CLI, the API and the Prefect flows all call these functions; no rule lives elsewhere.
"""
