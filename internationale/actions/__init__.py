"""International days of action: one date, local actions across every time zone, reports back, an aggregated report."""
