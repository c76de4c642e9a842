"""Keyword ads: campaigns, the auction behind sponsored search results, click accounting, smart keyword tuning."""
