"""Decision talk pages, split by feature: talks, contents (options, preferences), stages."""
