"""Sessions, notes, signing and addenda, alliance ratings and alerts."""
