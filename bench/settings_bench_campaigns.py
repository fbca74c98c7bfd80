"""bench/settings_bench.py, with the confirmation links e-mailed to a file the benchmark reads
(bench/mail.py, SpoolBackend): bench/campaigns.py confirms signatures as signers do, from the
link they were sent."""

from bench.settings_bench import *  # noqa: F403

EMAIL_BACKEND = "bench.mail.SpoolBackend"
