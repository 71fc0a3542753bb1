"""The dashboard reads the reports' periods and the rosters: it shares the reports' fixtures."""

from reports.tests.conftest import annual_period, district_data, reports, year  # noqa: F401 (fixtures)
