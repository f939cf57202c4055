"""The application layer: the `sdlab` command line and its rich views, above runs and analysis."""
