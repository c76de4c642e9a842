"""What rankings tells the apps above it (search copies standings onto its documents). Rankings never imports
them: they connect receivers in their AppConfig.ready()."""

from django.dispatch import Signal

# Sent by supplier_standings_publish after it wrote Supplier.leaderboard_standing, with `supplier_ids`: the
# suppliers whose standing changed. Sent inside that transaction, so receivers write atomically with it.
standings_published = Signal()
