"""Sales reports: daily and range totals, served from aggregates kept with each completion."""
