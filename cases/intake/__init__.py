"""Intake: report files (CSV, XLSX) into cases, duplicate detection, candidate determination."""
