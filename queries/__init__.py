"""The catalog of named queries over the zone graph, and the zone summary built from them."""
