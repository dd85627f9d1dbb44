"""From results to what a reader sees: one module per format or section, shared table layouts."""
