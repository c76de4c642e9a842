"""Categories (a multilingual tree) and the trade vocabulary as platform data. Imports no other Silkway app but core."""
