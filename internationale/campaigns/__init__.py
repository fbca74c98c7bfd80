"""Public campaigns: protest letters and petitions signed by the public, confirmed, protected from abuse, delivered to their targets."""
