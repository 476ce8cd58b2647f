"""SMART goals, agreement, progress, attainment scaling and reviews (the goals issue)."""
