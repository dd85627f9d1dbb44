"""The questionnaire: YAML reader, units, paths, rules, the plain reader, models, records,
ranges, schema, interview."""
