"""The web UI for the people who run the shops: one HTML shell and plain JS modules, all served locally."""
