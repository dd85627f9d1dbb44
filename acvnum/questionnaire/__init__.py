"""The questionnaire: YAML reader, units, paths, models, ranges, schema, interview."""
