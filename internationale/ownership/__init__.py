"""Every organization owns its data: export, move to another server, emergency erase; backups of the server."""
