"""Performance benchmarks at clinic-network scale (`make bench`); see BENCHMARKS.md."""
