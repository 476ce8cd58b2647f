"""Three-talk decisions: options, preferences, stage checklists, decision and review."""
