"""Reports: periods, counting in the database, the collated workbook, CSV files, the dashboard and team summaries.

Nothing here imports Flask at package level: the workbook builder (``qaf.reports.workbook``)
is plain Python. The pages are in ``qaf.reports.views``.
"""
