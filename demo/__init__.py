"""Demo content and the seed commands that load it. Nothing in the product imports this app."""
