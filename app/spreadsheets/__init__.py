"""Spreadsheets out and in: streamed XLSX/CSV exports for the alliance's reports, and the register
import with a dry run. Writing and reading files is here; what each export holds is in ``exports``."""
