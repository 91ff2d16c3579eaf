"""The law as data: catalogs, deadline rules, lifecycle graph, calendar and identifiers.

Pure: no I/O beyond reading the data files shipped inside this package.
"""
