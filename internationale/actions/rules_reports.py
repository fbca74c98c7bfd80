"""Permissions of reports back and the aggregated report (the rest of the app's rules: rules.py).

Reporting back on a local action, adding and removing its photos: those who speak (admin,
secretary) for the action's organization. Approving the aggregated report for publication to the
library: those who speak for one of the callers (the calling organization and the co-callers that
accepted), each for its own organization. Reading a report, its photos and the aggregated report:
whoever reads the day (`actions.view_dayofaction`). Members and observers read, and do nothing
else.
"""

import rules

from .rules import speaks_for_a_caller, speaks_for_action_org

rules.add_perm("actions.report_action", speaks_for_action_org)
rules.add_perm("actions.approve_report", speaks_for_a_caller)
